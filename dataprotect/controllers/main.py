# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request

from ..tools import trusted


class DataprotectController(http.Controller):
    @http.route("/dataprotect/export/<int:run_id>", type="http", auth="user")
    def download_export(self, run_id):
        """Download an export file: managers only, and every download is logged."""
        request.env["dataprotect.marketplace"]._check_manager()
        run = request.env["dataprotect.run"].browse(run_id).exists()
        if not run or not run.export_attachment_id:
            raise request.not_found()
        run._log_download()
        stream = request.env["ir.binary"]._get_stream_from(
            trusted(run.sudo().export_attachment_id)
        )
        return stream.get_response(as_attachment=True)
