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
        self.env["dataprotect.marketplace"]._check_manager()
        wizards = super().create(vals_list)
        anonymizer = self.env["dataprotect.anonymizer"]
        orders_model = self.env["sale.order"]
        now = fields.Datetime.now()
        for wizard in wizards:
            marketplace = wizard.marketplace_id
            domain = [("dataprotect_due", "=", True)]
            if marketplace:
                domain.append(("dataprotect_marketplace_id", "=", marketplace.id))
            plan = anonymizer._plan_orders(orders_model.search(domain), now)
            wizard.write(wizard._plan_values(plan))
            run = self.env["dataprotect.run"].sudo()._start("preview", marketplace)
            run._log_finished(wizard._plan_stats())
        return wizards
