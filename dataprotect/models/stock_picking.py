# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..personal_data import CLEAR, SCRUB, Field


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "dataprotect.mixin"]

    _dataprotect_fields = {
        "note": Field(CLEAR),
        "signature": Field(CLEAR, export=False),
        "origin": Field(SCRUB),
    }

    dataprotect_marketplace_id = fields.Many2one(
        compute="_compute_dataprotect_marketplace_id", store=True
    )

    @api.depends("sale_id.dataprotect_marketplace_id")
    def _compute_dataprotect_marketplace_id(self):
        for picking in self:
            if not picking.dataprotect_anonymized_at:
                picking.dataprotect_marketplace_id = (
                    picking.sale_id.dataprotect_marketplace_id
                )
