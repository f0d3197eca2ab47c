# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..personal_data import CLEAR, Field
from ..tools import in_ids


class ProductAttributeCustomValue(models.Model):
    _inherit = "product.attribute.custom.value"

    # what the buyer typed for a custom attribute (a gift message)
    _dataprotect_fields = {
        "custom_value": Field(CLEAR, known=True),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        return self.search(
            [("sale_order_line_id", "in", in_ids(plan.records("sale.order.line").ids))],
            order="id",
        )
