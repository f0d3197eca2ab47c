# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..personal_data import SCRUB, Field
from ..tools import in_ids


class StockMove(models.Model):
    _inherit = "stock.move"

    _dataprotect_fields = {
        "description_picking": Field(SCRUB),
        # the order's name and customer reference (sale_stock writes them)
        "origin": Field(SCRUB),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        return self.search(
            [
                "|",
                ("picking_id", "in", in_ids(plan.pickings.ids)),
                ("sale_line_id", "in", in_ids(plan.records("sale.order.line").ids)),
            ]
        )
