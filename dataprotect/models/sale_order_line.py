# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..personal_data import CLEAR, SCRUB, Field


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    _dataprotect_fields = {"name": Field(SCRUB)}

    def _dataprotect_personal_fields(self):
        """The description, and the gift message field of the lines'
        marketplaces (of every marketplace, asked on no line): cleared; what
        the buyer typed in a text field is searched for elsewhere too."""
        if self.env.context.get("dataprotect_declared_only"):
            return super()._dataprotect_personal_fields()
        marketplaces = (
            self.order_id.dataprotect_marketplace_id
            if self
            else self.env["dataprotect.marketplace"].sudo().search([])
        )
        gift_fields = {
            field.name: Field(CLEAR, known=field.ttype != "html")
            for field in marketplaces.gift_message_field_id
        }
        return {**super()._dataprotect_personal_fields(), **gift_fields}

    @api.model
    def _dataprotect_personal_records(self, plan):
        return plan.orders.order_line
