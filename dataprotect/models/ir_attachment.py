# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import os
from functools import partial

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL

from ..personal_data import CLEAR, DELETE, Field, columns, personal_fields
from ..plan import DOCUMENT_MODELS

INVOICE_DOCUMENT_MIMETYPES = ("application/pdf", "application/xml", "text/xml")


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    _dataprotect_fields = {
        "datas": Field(
            DELETE,
            reason="kept: an invoice's PDF and XML documents, which tax law "
            "requires to retain",
        ),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        """The files of the plan's documents and partners (order
        confirmations, delivery slips), those of their binary fields the
        registry clears (signatures, partner images), and those of their
        messages: ``mail.template.send_mail`` attaches the rendered report
        (an order confirmation with the buyer's addresses) to the message."""
        messages = plan.records("mail.message")
        return self.search(
            expression.OR(
                [
                    [
                        ("res_model", "=", model),
                        ("res_id", "in", plan.named(model).ids),
                        ("res_field", "in", [False, *self._dataprotect_files(model)]),
                    ]
                    for model in DOCUMENT_MODELS
                ]
                + [[("res_model", "=", "mail.message"), ("res_id", "in", messages.ids)]]
            )
        )

    @api.model
    def _dataprotect_files(self, model):
        """The binary fields of ``model`` stored as attachments that the
        registry clears."""
        records = self.env[model]
        rules = personal_fields(records, (CLEAR,))
        return [name for name in rules if name not in columns(records, rules)]

    def _dataprotect_exempt_records(self):
        return self.filtered(
            lambda a: (
                a.res_model == "account.move"
                and a.mimetype in INVOICE_DOCUMENT_MIMETYPES
            )
        )

    def _dataprotect_anonymize(self, scrubber, plan, stats):
        """Delete the files, but those the law keeps."""
        kept = self._dataprotect_exempt_records()
        stats.add(self._name, "exempted", len(kept))
        stats.add(self._name, "anonymized", len(self - kept))
        (self - kept)._dataprotect_unlink_files()
        for model in DOCUMENT_MODELS:
            self.env[model].invalidate_model(self._dataprotect_files(model))

    def _dataprotect_unlink_files(self):
        """Delete these attachments, and their files from the file store as
        soon as the transaction commits: Odoo leaves that to its daily
        garbage collection, and a person's deleted file must not outlive the
        run. A file is content-addressed, so it stays while another
        attachment still uses it."""
        attachments = self.sudo()
        fnames = set(filter(None, attachments.mapped("store_fname")))
        attachments.unlink()
        if fnames and not self.env.context.get("dataprotect_dry_run"):
            self.env.cr.postcommit.add(partial(self._dataprotect_remove_files, fnames))

    @api.model
    def _dataprotect_remove_files(self, fnames):
        """Remove the files of ``fnames`` that no attachment uses (after the
        commit that deleted their attachments)."""
        self.env.cr.execute(
            SQL(
                "SELECT store_fname FROM ir_attachment WHERE store_fname = ANY(%s)",
                list(fnames),
            )
        )
        used = {row[0] for row in self.env.cr.fetchall()}
        for fname in fnames - used:
            with contextlib.suppress(OSError):
                os.unlink(self._full_path(fname))
