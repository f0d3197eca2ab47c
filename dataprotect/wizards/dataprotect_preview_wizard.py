# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

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

    def _sample_size(self):
        return PREVIEW_ORDERS

    def _plan(self):
        """The plan of the first PREVIEW_ORDERS due orders, in the order the
        scheduled action takes them."""
        Order = self.env["sale.order"]
        self.env.flush_all()
        self.env.cr.execute(
            Order._dataprotect_due_query(
                marketplace_ids=self.marketplace_id.ids or None, limit=PREVIEW_ORDERS
            )
        )
        orders = Order.browse([row[0] for row in self.env.cr.fetchall()])
        return self.env["dataprotect.planner"].plan_orders(
            orders, fields.Datetime.now()
        )

    def _all_orders_domain(self):
        domain = [("dataprotect_due", "=", True)]
        if self.marketplace_id:
            domain.append(("dataprotect_marketplace_id", "=", self.marketplace_id.id))
        return domain

    def _count_all_orders(self):
        # through the due index (the search of dataprotect_due reads more)
        return self.env["sale.order"]._dataprotect_due_count(
            self.marketplace_id.ids or None
        )

    def _sample_text(self, total, counted):
        return self.env._(
            "%(due)s orders are due. The figures below are those of the first "
            "%(counted)s, which the next run takes first: counting all of them "
            "would take as long as anonymizing them.",
            due=total,
            counted=counted,
        )
