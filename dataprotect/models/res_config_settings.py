# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import config

from .dataprotect_access_log import ACCESS_LOG_DAYS_PARAM
from .dataprotect_marketplace import CRON as CRON_XMLID
from .dataprotect_marketplace import GIFT_MESSAGE_FIELD_DOMAIN

SECURE_SSLMODES = ("require", "verify-ca", "verify-full")


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
        related="dataprotect_marketplace_id.gift_message_field_id",
        readonly=False,
        # a related field does not take the domain of its target: without it,
        # Settings offered every field of every model
        domain=GIFT_MESSAGE_FIELD_DOMAIN,
    )
    dataprotect_retention_days = fields.Integer(
        related="dataprotect_marketplace_id.retention_days", readonly=False
    )
    dataprotect_email_domains = fields.Text(
        related="dataprotect_marketplace_id.email_domains", readonly=False
    )
    dataprotect_order_number_pattern = fields.Char(
        related="dataprotect_marketplace_id.order_number_pattern", readonly=False
    )
    dataprotect_access_log_days = fields.Integer(
        string="Access Log Kept (days)",
        config_parameter=ACCESS_LOG_DAYS_PARAM,
        default=365,
        help="How long the entries of the access log are kept; older ones are "
        "deleted automatically.",
    )
    dataprotect_rule_match_summary = fields.Text(
        string="Orders Matching the Rules",
        compute="_compute_dataprotect_rule_matches",
        help="The orders not yet anonymized that the rules as entered match, "
        "per sales team, before they are saved.",
    )
    dataprotect_rule_match_warning = fields.Boolean(
        compute="_compute_dataprotect_rule_matches"
    )
    dataprotect_detected_count = fields.Integer(
        string="Recognised Orders",
        compute="_compute_dataprotect_detected",
        help="Orders not yet anonymized that the marketplace's recognition "
        "rules (a buyer's e-mail domain, the order number) made its, not its "
        "sales teams.",
    )
    dataprotect_detected_team_ids = fields.Many2many(
        comodel_name="crm.team",
        string="Their Sales Teams",
        compute="_compute_dataprotect_detected",
        help="The sales teams of the recognised orders that hold no other "
        "orders: linked to the marketplace, their orders are its also "
        "without a rule.",
    )
    dataprotect_detected_other_teams = fields.Char(
        string="Other Sales Teams",
        compute="_compute_dataprotect_detected",
        help="Sales teams of recognised orders that also hold other orders "
        "(a webshop's, say): they are not linked.",
    )
    dataprotect_order_count = fields.Integer(
        related="dataprotect_marketplace_id.order_count"
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
    dataprotect_failed_run_id = fields.Many2one(
        comodel_name="dataprotect.run",
        string="Last Failed Run",
        compute="_compute_dataprotect_cron",
        help="The scheduled action's newest run, if it failed.",
    )
    dataprotect_setting_problems = fields.Text(
        string="Setting Problems",
        compute="_compute_dataprotect_cron",
        help="What keeps the scheduled action from running now, in the "
        "reader's language: it refuses to change anything until it is fixed.",
    )
    dataprotect_failed_run_error = fields.Char(
        related="dataprotect_failed_run_id.error"
    )
    dataprotect_https_ok = fields.Boolean(compute="_compute_dataprotect_transport")
    dataprotect_https_text = fields.Char(compute="_compute_dataprotect_transport")
    dataprotect_mail_tls_ok = fields.Boolean(compute="_compute_dataprotect_transport")
    dataprotect_mail_tls_text = fields.Char(compute="_compute_dataprotect_transport")
    dataprotect_db_ssl_ok = fields.Boolean(compute="_compute_dataprotect_transport")
    dataprotect_db_ssl_text = fields.Char(compute="_compute_dataprotect_transport")

    @api.depends("dataprotect_marketplace_id")
    def _compute_dataprotect_cron(self):
        cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
        cron = cron.sudo() if cron else cron
        runs = self.env["dataprotect.run"].sudo()
        # the scheduled action's own result, not a purge's or a preview's
        last_run = runs.search([("trigger", "=", "cron")], limit=1)
        marketplaces = self.env["dataprotect.marketplace"].sudo().search([])
        problems = marketplaces._setting_problems("cron")
        for settings in self:
            settings.dataprotect_cron_active = bool(cron and cron.active)
            # a time past means "as soon as the scheduler looks": now
            settings.dataprotect_cron_nextcall = cron and max(
                cron.nextcall, fields.Datetime.now()
            )
            settings.dataprotect_cron_lastcall = cron and cron.lastcall
            settings.dataprotect_last_run_id = last_run
            settings.dataprotect_failed_run_id = (
                last_run if last_run.state in ("failed", "interrupted") else runs
            )
            settings.dataprotect_setting_problems = "\n".join(
                message for messages in problems.values() for message in messages
            )

    @api.depends("dataprotect_email_domains", "dataprotect_order_number_pattern")
    def _compute_dataprotect_rule_matches(self):
        for settings in self:
            (
                settings.dataprotect_rule_match_summary,
                settings.dataprotect_rule_match_warning,
            ) = self.env["dataprotect.tagger"]._edited_rule_matches(
                settings.dataprotect_marketplace_id._origin,
                settings.dataprotect_email_domains,
                settings.dataprotect_order_number_pattern,
            )

    @api.depends("dataprotect_marketplace_id")
    def _compute_dataprotect_detected(self):
        for settings in self:
            marketplace = settings.dataprotect_marketplace_id
            count, suggested, others = (
                self.env["dataprotect.tagger"]._detected(marketplace)
                if marketplace
                else (0, [], [])
            )
            settings.dataprotect_detected_count = count
            settings.dataprotect_detected_team_ids = suggested
            settings.dataprotect_detected_other_teams = ", ".join(
                self.env._(
                    "%(team)s (%(found)s of %(count)s orders)",
                    team=team.display_name,
                    found=found,
                    count=total,
                )
                for team, found, total in others
            )

    def action_dataprotect_protect_detected(self):
        self.dataprotect_marketplace_id.action_protect_detected()
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_dataprotect_open_recognised_orders(self):
        return self.dataprotect_marketplace_id.action_open_recognised_orders()

    @api.depends("dataprotect_marketplace_id")
    def _compute_dataprotect_transport(self):
        """Amazon's data protection policy asks for encryption in transit: this
        only reports, it changes nothing."""
        _ = self.env._
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        https = base_url.startswith("https://")
        servers = self.env["ir.mail_server"].sudo().search([])
        plain = servers.filtered(lambda s: s.smtp_encryption not in ("ssl", "starttls"))
        if servers:
            mail_ok = not plain
            mail_text = (
                _("All outgoing mail servers use TLS/STARTTLS.")
                if mail_ok
                else _(
                    "Outgoing mail servers without encryption: %(servers)s. Set "
                    "their connection encryption to TLS or STARTTLS.",
                    servers=", ".join(plain.mapped("name")),
                )
            )
        else:
            mail_ok = bool(config.get("smtp_ssl"))
            mail_text = (
                _("The mail server of the configuration file uses TLS.")
                if mail_ok
                else _(
                    "No outgoing mail server with TLS/STARTTLS is configured: add "
                    "one (Settings, Technical, Outgoing Mail Servers)."
                )
            )
        self.env.cr.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        row = self.env.cr.fetchone()
        db_ok = bool(row and row[0]) and config.get("db_sslmode") in SECURE_SSLMODES
        for settings in self:
            settings.dataprotect_https_ok = https
            settings.dataprotect_https_text = (
                _("Odoo is reached over HTTPS.")
                if https
                else _(
                    "The base URL %(url)s is not HTTPS: serve Odoo over HTTPS and "
                    "set web.base.url accordingly.",
                    url=base_url or "-",
                )
            )
            settings.dataprotect_mail_tls_ok = mail_ok
            settings.dataprotect_mail_tls_text = mail_text
            settings.dataprotect_db_ssl_ok = db_ok
            settings.dataprotect_db_ssl_text = (
                _("The database connection requires SSL.")
                if db_ok
                else _(
                    "The database connection does not require SSL: set db_sslmode "
                    "= require (or verify-full) in the Odoo configuration and "
                    "enable SSL on the PostgreSQL server."
                )
            )

    def _dataprotect_set_cron_active(self, active):
        self.env["dataprotect.marketplace"]._set_cron_active(active)
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_dataprotect_cron_activate(self):
        return self._dataprotect_set_cron_active(True)

    def action_dataprotect_cron_retry(self):
        """Run the scheduled action now, after what made it fail was fixed."""
        self.env["dataprotect.marketplace"]._check_manager()
        self.env.ref(CRON_XMLID).sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The scheduled anonymization runs in a moment; its result "
                    "appears in the anonymization log."
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_dataprotect_cron_deactivate(self):
        return self._dataprotect_set_cron_active(False)

    def action_dataprotect_open_marketplaces(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "dataprotect.dataprotect_marketplace_action"
        )

    def action_dataprotect_open_preview(self):
        return self.dataprotect_marketplace_id.action_open_preview()

    def action_dataprotect_check_coverage(self):
        return self.dataprotect_marketplace_id.action_check_coverage()

    def action_dataprotect_open_due_orders(self):
        return self.dataprotect_marketplace_id.action_open_due_orders()

    def action_dataprotect_open_runs(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "dataprotect.dataprotect_run_action"
        )

    @api.constrains("dataprotect_access_log_days")
    def _check_dataprotect_access_log_days(self):
        for settings in self:
            if settings.dataprotect_access_log_days < 1:
                raise ValidationError(
                    self.env._(
                        "The access log must be kept for at least one day, not "
                        "%(days)s.",
                        days=settings.dataprotect_access_log_days,
                    )
                )
