# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import form_action

# How many of the marketplace's active orders the confirmation anonymizes in
# its rolled-back transaction to count what changes: the first ones the purge
# takes. Counting all of 100,000 took 230 s and 1.8 GB, longer than Odoo lets
# a request run (120 s); the orders, and the open ones among them, are
# counted and listed in full.
PURGE_SAMPLE_ORDERS = 1000


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
    marketplace_name = fields.Char(related="marketplace_id.name")
    confirm_name = fields.Char(
        string="Confirmation",
        help="This cannot be undone: type the name of the marketplace exactly.",
    )
    confirmed = fields.Boolean(compute="_compute_confirmed")
    export_retention_days = fields.Integer(
        compute="_compute_export_retention_days",
        help="How many days the export file is kept before it is deleted.",
    )

    @api.depends("confirm_name", "marketplace_id.name")
    def _compute_confirmed(self):
        for wizard in self:
            wizard.confirmed = (
                wizard.confirm_name or ""
            ).strip() == wizard.marketplace_id.name

    def _compute_export_retention_days(self):
        days = self.env["dataprotect.marketplace"]._export_retention_days()
        for wizard in self:
            wizard.export_retention_days = days

    def _action_open(self):
        if self.mode != "export":
            return super()._action_open()
        return form_action(
            self, "new", name=self.env._("Export, Then Anonymize All Personal Data")
        )

    def _sample_size(self):
        return PURGE_SAMPLE_ORDERS

    def _plan(self):
        """The plan of the first PURGE_SAMPLE_ORDERS active orders, in the
        order the purge takes them (``dataprotect.job.run_requests``)."""
        marketplace = self.marketplace_id
        return self.env["dataprotect.planner"].plan_orders(
            self.env["sale.order"].search(
                marketplace._active_order_domain(),
                order="id",
                limit=PURGE_SAMPLE_ORDERS,
            ),
            fields.Datetime.now(),
            SQL("mp.id = %s", marketplace.id),
        )

    def _all_orders_domain(self):
        return self.marketplace_id._active_order_domain()

    def _open_orders_scope(self):
        # all of them: anonymized, none can be shipped or invoiced any more
        # (the preview's due orders have been shipped; searching all of them
        # took 0.5 s at a million orders, so it looks among those it counts)
        return self.env["sale.order"].search(self._all_orders_domain())

    def _sample_text(self, total, counted):
        return self.env._(
            "%(total)s orders will be anonymized. The figures below are those "
            "of the first %(counted)s, which the purge takes first: counting "
            "all of them would take as long as anonymizing them.",
            total=total,
            counted=counted,
        )

    def action_confirm(self):
        self.ensure_one()
        self.env["dataprotect.marketplace"]._check_manager()
        if not self.confirmed:
            raise UserError(
                self.env._(
                    "To confirm, type the marketplace's name exactly: %(name)s",
                    name=self.marketplace_id.name,
                )
            )
        run = self.marketplace_id._start_request(self.mode)
        return run._action_open()
