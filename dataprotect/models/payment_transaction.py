# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..personal_data import CLEAR, KEEP, SCRUB, Field
from ..tools import in_ids
from .res_partner import STATISTICS


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    # copies of the partner's values, made when the transaction was created
    _dataprotect_fields = {
        "partner_name": Field(SCRUB),
        **dict.fromkeys(
            ("partner_email", "partner_address", "partner_phone"), Field(CLEAR)
        ),
        **dict.fromkeys(
            ("partner_zip", "partner_city"), Field(KEEP, reason=STATISTICS)
        ),
    }

    # the shared-partner check looks transactions up by partner
    partner_id = fields.Many2one(index=True)

    @api.model
    def _dataprotect_personal_records(self, plan):
        return self.search(
            [
                "|",
                ("partner_id", "in", in_ids(plan.partners.ids)),
                ("sale_order_ids", "in", plan.orders.ids),
            ]
        )
