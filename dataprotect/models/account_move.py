# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..personal_data import CLEAR, SCRUB, Field


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "dataprotect.mixin"]

    # the shared-partner check looks invoices up by delivery address
    partner_shipping_id = fields.Many2one(index="btree_not_null")
    dataprotect_marketplace_id = fields.Many2one(
        compute="_compute_dataprotect_marketplace_id", store=True
    )

    _dataprotect_fields = {
        "narration": Field(CLEAR, export="note"),
        "invoice_source_email": Field(CLEAR),
        "ref": Field(SCRUB, export="reference"),
        "payment_reference": Field(SCRUB),
    }

    @api.depends("line_ids.sale_line_ids.order_id.dataprotect_marketplace_id")
    def _compute_dataprotect_marketplace_id(self):
        for move in self:
            if not move.dataprotect_anonymized_at:
                orders = move.line_ids.sale_line_ids.order_id
                move.dataprotect_marketplace_id = orders.dataprotect_marketplace_id[:1]
