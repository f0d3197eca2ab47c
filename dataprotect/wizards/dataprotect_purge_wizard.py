# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class DataprotectPurgeWizard(models.TransientModel):
    """Confirmation of a full purge, or of an export then purge, of all the
    active personal data of a marketplace."""

    _name = "dataprotect.purge.wizard"
    _inherit = "dataprotect.plan.wizard"
    _description = "Anonymize All Personal Data of a Marketplace"

    skipped_partner_ids = fields.Many2many(
        "res.partner",
        relation="dataprotect_purge_wizard_skipped_rel",
        string="Partners Kept",
        readonly=True,
    )
    marketplace_id = fields.Many2one(
        "dataprotect.marketplace", required=True, readonly=True, ondelete="cascade"
    )
    mode = fields.Selection(
        [("purge", "Full purge"), ("export", "Export, then purge")],
        required=True,
        default="purge",
        readonly=True,
    )
    confirm_name = fields.Char(
        string="Type the marketplace's name to confirm",
        help="This cannot be undone: type the name of the marketplace exactly.",
    )

    def _plan(self):
        marketplace = self.marketplace_id
        return self.env["dataprotect.planner"].plan_orders(
            self.env["sale.order"].search(marketplace._active_order_domain()),
            fields.Datetime.now(),
            SQL("mp.id = %s", marketplace.id),
        )

    def action_confirm(self):
        self.ensure_one()
        self.env["dataprotect.marketplace"]._check_manager()
        if (self.confirm_name or "").strip() != self.marketplace_id.name:
            raise UserError(
                self.env._(
                    "To confirm, type the marketplace's name exactly: %(name)s",
                    name=self.marketplace_id.name,
                )
            )
        run = self.marketplace_id._start_request(self.mode)
        return run._action_open()
