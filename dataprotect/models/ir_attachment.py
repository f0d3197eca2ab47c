# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import os
from functools import partial

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..personal_data import CLEAR, DELETE, Field, columns, personal_fields
from ..plan import DOCUMENT_MODELS
from ..tools import EXPORT_READ, TRUSTED, id_array, in_ids

_lt = LazyTranslate(__name__)


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _compute_raw(self):
        # ``datas`` is computed from ``raw``
        self._dataprotect_check_export_read()
        return super()._compute_raw()

    def _dataprotect_check_export_read(self):
        """Refuse the content of export files but to the logged download,
        whoever asks (a manager over RPC, /web/content, an access token)."""
        if self.env.context.get(EXPORT_READ) is TRUSTED:
            return
        if any(attachment.res_model == "dataprotect.run" for attachment in self):
            raise AccessError(
                self.env._(
                    "An export file of the anonymization log can only be "
                    "downloaded with the Download Export button of its log "
                    "entry, which logs every download."
                )
            )

    _dataprotect_fields = {
        "datas": Field(
            DELETE,
            reason=_lt(
                "kept: an invoice's own documents (the invoice PDF, its "
                "e-invoice XML, their copies in the e-mails that sent them), "
                "which tax law requires to retain"
            ),
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
        # the files of the people's own messages, on whatever record (a lead)
        own = messages._dataprotect_wholly_personal(plan)
        return (
            self._dataprotect_invoice_documents(plan.invoices)
            | own.sudo().attachment_ids.with_env(self.env)
            | self.search(
                expression.OR(
                    [
                        [
                            ("res_model", "=", model),
                            ("res_id", "in", in_ids(plan.named(model).ids)),
                            (
                                "res_field",
                                "in",
                                [False, *self._dataprotect_files(model)],
                            ),
                        ]
                        for model in DOCUMENT_MODELS
                    ]
                    + [
                        [
                            ("res_model", "=", "mail.message"),
                            ("res_id", "in", in_ids(messages.ids)),
                        ]
                    ]
                )
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
        """The invoices' own documents among these files, and their copies
        in the e-mails that sent them (the same file); any other file on an
        invoice, such as a buyer's letter e-mailed to it, is not one."""
        attachments = self.sudo()
        messages = (
            self.env["mail.message"]
            .sudo()
            .browse({a.res_id for a in attachments if a.res_model == "mail.message"})
            .exists()
        )
        on_invoices = {m.id: m.res_id for m in messages if m.model == "account.move"}
        # {attachment: its invoice}
        invoice_of = {
            a: a.res_id if a.res_model == "account.move" else on_invoices.get(a.res_id)
            for a in attachments
            if a.res_model == "account.move" or a.res_id in on_invoices
        }
        if not invoice_of:
            return self.browse()
        invoices = self.env["account.move"].browse(set(invoice_of.values()))
        documents = self._dataprotect_invoice_documents(invoices.exists()).sudo()
        checksums = set(documents.mapped("checksum"))
        return self.browse(
            a.id for a in invoice_of if a in documents or a.checksum in checksums
        )

    @api.model
    def _dataprotect_invoice_documents(self, invoices):
        """The documents of the invoices that tax law keeps, as Odoo names
        them when it sends an invoice (``account.move.send``: the invoice
        PDF, the e-invoice XML, a localization's files), and a copy of the
        invoice PDF printed before it was stored so (a file on the invoice
        named as Odoo names it)."""
        # only the invoices that have a file at all (most have none in the
        # database: Odoo's hook then reads nothing)
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT res_id FROM ir_attachment "
                "WHERE res_model = 'account.move' AND res_id = ANY(%s)",
                id_array(invoices.ids),
            )
        )
        invoices = invoices.browse(row[0] for row in self.env.cr.fetchall()).sudo()
        send = self.env["account.move.send"]
        documents = self.browse()
        for invoice in invoices:
            documents |= send._get_invoice_extra_attachments(invoice)
        names = {
            invoice.id: invoice._get_invoice_report_filename()
            for invoice in invoices.filtered(lambda i: i.state == "posted")
        }
        if names:
            documents |= (
                self.sudo()
                .search(
                    [
                        ("res_model", "=", "account.move"),
                        ("res_id", "in", list(names)),
                        ("name", "in", list(set(names.values()))),
                        ("mimetype", "=", "application/pdf"),
                    ]
                )
                .filtered(lambda a: names[a.res_id] == a.name)
            )
        return documents.with_env(self.env)

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
