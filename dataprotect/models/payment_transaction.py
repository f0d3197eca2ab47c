# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    # the shared-partner check looks transactions up by partner
    partner_id = fields.Many2one(index=True)
