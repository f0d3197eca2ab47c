# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        self._dataprotect_log_print(report_ref, res_ids)
        return super()._render_qweb_pdf(report_ref, res_ids, data)

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        if (data or {}).get("report_type") != "pdf":  # a PDF's is logged
            self._dataprotect_log_print(report_ref, docids)
        return super()._render_qweb_html(report_ref, docids, data)

    @api.model
    def _render_qweb_text(self, report_ref, docids, data=None):
        self._dataprotect_log_print(report_ref, docids)
        return super()._render_qweb_text(report_ref, docids, data)

    @api.model
    def _dataprotect_log_print(self, report_ref, res_ids):
        """A printed order, delivery slip, invoice or partner report shows its
        buyer's data: logged for the user who prints it, also when the
        printing code runs as superuser (sending an invoice by e-mail)."""
        if not res_ids:
            return
        records = self.env.get(self._get_report(report_ref).model)
        if records is None or "dataprotect_anonymized_at" not in records._fields:
            return
        ids = [res_ids] if isinstance(res_ids, int) else res_ids
        self.env["dataprotect.access.log"].sudo()._log(records.browse(ids), "report")
