# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..personal_data import SCRUB, Field
from ..tools import in_ids


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    _dataprotect_fields = {
        "description_picking": Field(SCRUB),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        return self.search(
            [("move_id", "in", in_ids(plan.records("stock.move").ids))], order="id"
        )
