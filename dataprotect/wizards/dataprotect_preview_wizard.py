# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


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

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            run = (
                self.env["dataprotect.run"]
                .sudo()
                ._start("preview", wizard.marketplace_id)
            )
            run._log_finished(wizard._plan_stats())
        return wizards

    def _plan(self):
        domain = [("dataprotect_due", "=", True)]
        if self.marketplace_id:
            domain.append(("dataprotect_marketplace_id", "=", self.marketplace_id.id))
        return self.env["dataprotect.planner"].plan_orders(
            self.env["sale.order"].search(domain), fields.Datetime.now()
        )
