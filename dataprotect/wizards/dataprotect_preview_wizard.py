# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools.misc import formatLang

# How many due orders the preview anonymizes in its rolled-back transaction to
# count what changes: the first ones the next run takes. A dry run costs what
# the run costs (about 1 ms per order), and a first install may find 200,000
# orders due; the due orders themselves are counted and listed in full.
PREVIEW_ORDERS = 50


class DataprotectPreviewWizard(models.TransientModel):
    """What the scheduled action would anonymize if it ran now; changes
    nothing but the audit log."""

    _name = "dataprotect.preview.wizard"
    _inherit = "dataprotect.plan.wizard"
    _description = "Preview of the Scheduled Anonymization"

    skipped_partner_ids = fields.Many2many(
        "res.partner",
        relation="dataprotect_preview_wizard_skipped_rel",
        string="Partners Kept",
        readonly=True,
    )
    marketplace_id = fields.Many2one(
        "dataprotect.marketplace", readonly=True, ondelete="cascade"
    )
    due_count = fields.Integer(
        string="Due Orders",
        readonly=True,
        help="All orders whose personal data is due for anonymization now.",
    )
    sample_note = fields.Char(
        string="Counted Orders",
        readonly=True,
        help="Set when more orders are due than the preview counts: which of "
        "them the figures below are about.",
    )

    def _show_plan(self, plan):
        stats = super()._show_plan(plan)
        run = self.env["dataprotect.run"].sudo()._start("preview", self.marketplace_id)
        run._log_finished(stats)
        return stats

    def _marketplace(self):
        # the placeholder changes no count: any marketplace's will do
        return self.marketplace_id or self.env["dataprotect.marketplace"].search(
            [], limit=1
        )

    def _marketplace_ids(self):
        return self.marketplace_id.ids or None

    def _plan(self):
        """The plan of the first PREVIEW_ORDERS due orders, in the order the
        scheduled action takes them."""
        Order = self.env["sale.order"]
        self.env.flush_all()
        self.env.cr.execute(
            Order._dataprotect_due_query(
                marketplace_ids=self._marketplace_ids(), limit=PREVIEW_ORDERS
            )
        )
        orders = Order.browse([row[0] for row in self.env.cr.fetchall()])
        return self.env["dataprotect.planner"].plan_orders(
            orders, fields.Datetime.now()
        )

    def _plan_values(self, plan, stats, summary):
        values = super()._plan_values(plan, stats, summary)
        due = len(plan.orders)
        if due == PREVIEW_ORDERS:
            due = self.env["sale.order"]._dataprotect_due_count(self._marketplace_ids())
        values["due_count"] = due
        values["sample_note"] = due > len(plan.orders) and self.env._(
            "%(due)s orders are due. The figures below are those of the first "
            "%(counted)s, which the next run takes first: counting all of them "
            "would take as long as anonymizing them.",
            due=formatLang(self.env, due, digits=0),
            counted=formatLang(self.env, len(plan.orders), digits=0),
        )
        return values

    def action_open_due_orders(self):
        self.ensure_one()
        domain = [("dataprotect_due", "=", True)]
        if self.marketplace_id:
            domain.append(("dataprotect_marketplace_id", "=", self.marketplace_id.id))
        return self._open_list(self.order_ids, self.env._("Due Orders"), domain)
