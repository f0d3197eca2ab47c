# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.osv import expression

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
        confirmations, delivery slips), and those of their binary fields the
        registry clears (signatures, partner images)."""
        return self.search(
            expression.AND(
                [
                    plan.on_documents(),
                    expression.OR(
                        [
                            [
                                ("res_model", "=", model),
                                (
                                    "res_field",
                                    "in",
                                    [False, *self._dataprotect_files(model)],
                                ),
                            ]
                            for model in DOCUMENT_MODELS
                        ]
                    ),
                ]
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
        (self - kept).unlink()
        for model in DOCUMENT_MODELS:
            self.env[model].invalidate_model(self._dataprotect_files(model))
