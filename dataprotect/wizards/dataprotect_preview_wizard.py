# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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

    def _plan(self):
        domain = [("dataprotect_due", "=", True)]
        if self.marketplace_id:
            domain.append(("dataprotect_marketplace_id", "=", self.marketplace_id.id))
        return self.env["dataprotect.planner"].plan_orders(
            self.env["sale.order"].search(domain), fields.Datetime.now()
        )
