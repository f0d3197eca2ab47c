# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

CRON_XMLID = "dataprotect.ir_cron_dataprotect_anonymize"
MANAGER_GROUP = "dataprotect.group_dataprotect_manager"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dataprotect_marketplace_id = fields.Many2one(
        comodel_name="dataprotect.marketplace",
        string="Marketplace",
        default=lambda self: self.env.ref(
            "dataprotect.marketplace_amazon", raise_if_not_found=False
        ),
    )
    dataprotect_team_ids = fields.Many2many(
        related="dataprotect_marketplace_id.team_ids", readonly=False
    )
    dataprotect_placeholder = fields.Char(
        related="dataprotect_marketplace_id.placeholder", readonly=False
    )
    dataprotect_gift_message_field_id = fields.Many2one(
        related="dataprotect_marketplace_id.gift_message_field_id", readonly=False
    )
    dataprotect_retention_days = fields.Integer(
        related="dataprotect_marketplace_id.retention_days", readonly=False
    )
    dataprotect_due_order_count = fields.Integer(
        related="dataprotect_marketplace_id.due_order_count"
    )
    dataprotect_cron_active = fields.Boolean(
        string="Scheduled Anonymization Active", compute="_compute_dataprotect_cron"
    )
    dataprotect_cron_nextcall = fields.Datetime(
        string="Next Run", compute="_compute_dataprotect_cron"
    )
    dataprotect_cron_lastcall = fields.Datetime(
        string="Last Run", compute="_compute_dataprotect_cron"
    )
    dataprotect_last_run_id = fields.Many2one(
        comodel_name="dataprotect.run",
        string="Last Result",
        compute="_compute_dataprotect_cron",
    )
    dataprotect_last_run_state = fields.Selection(
        related="dataprotect_last_run_id.state"
    )

    @api.depends("dataprotect_marketplace_id")
    def _compute_dataprotect_cron(self):
        cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
        cron = cron.sudo() if cron else cron
        last_run = self.env["dataprotect.run"].sudo().search([], limit=1)
        for settings in self:
            settings.dataprotect_cron_active = bool(cron and cron.active)
            settings.dataprotect_cron_nextcall = cron and cron.nextcall
            settings.dataprotect_cron_lastcall = cron and cron.lastcall
            settings.dataprotect_last_run_id = last_run

    def _dataprotect_check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only Data Protection managers may change the scheduled "
                    "anonymization."
                )
            )

    def _dataprotect_set_cron_active(self, active):
        self._dataprotect_check_manager()
        self.env.ref(CRON_XMLID).sudo().active = active
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_dataprotect_cron_activate(self):
        return self._dataprotect_set_cron_active(True)

    def action_dataprotect_cron_deactivate(self):
        return self._dataprotect_set_cron_active(False)

    def action_dataprotect_open_marketplaces(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "dataprotect.dataprotect_marketplace_action"
        )

    def action_dataprotect_open_due_orders(self):
        return self.dataprotect_marketplace_id.action_open_due_orders()

    def action_dataprotect_open_runs(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "dataprotect.dataprotect_run_action"
        )
