# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..personal_data import CLEAR, SCRUB, Field
from .sale_order import SHIPPING_CODES


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

    def _dataprotect_check_shippable(self):
        """A delivery to an anonymized buyer has no address left: refuse to
        validate it rather than ship to "Anonymized"."""
        anonymized = self.filtered(
            lambda p: p.dataprotect_anonymized_at
            and p.picking_type_id.code in SHIPPING_CODES
            and p.state not in ("done", "cancel")
        )
        if anonymized:
            raise UserError(
                self.env._(
                    "The personal data of the buyer of %(pickings)s was "
                    "anonymized: the delivery address is gone, so it cannot be "
                    "shipped. Cancel the delivery; if the buyer still awaits the "
                    "goods, ask the marketplace for the address and create a new "
                    "order.",
                    pickings=", ".join(anonymized.mapped("name")),
                )
            )

    def button_validate(self):
        self._dataprotect_check_shippable()
        return super().button_validate()

    def _action_done(self):
        self._dataprotect_check_shippable()
        return super()._action_done()
