# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _record_to_stream(self, record, field_name):
        """/web/content and /web/image stream an attachment's file straight
        from the file store: export files only to the logged download."""
        if record._name == "ir.attachment":
            record._dataprotect_check_export_read()
        return super()._record_to_stream(record, field_name)
