# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import id_array
from .dataprotect_deletion import numbers_by_state
from .dataprotect_tagger import RULE_REASONS, split_domains

_logger = logging.getLogger(__name__)

GIFT_MESSAGE_FIELD_TYPES = ("char", "text", "html")
# the fields that can hold a gift message, also offered in Settings
GIFT_MESSAGE_FIELD_DOMAIN = (
    "[('model', '=', 'sale.order.line'), "
    "('ttype', 'in', ('char', 'text', 'html')), ('store', '=', True), "
    "('required', '=', False)]"
)
ORDER_NUMBER_FIELD_DOMAIN = (
    "[('model', '=', 'sale.order'), ('ttype', '=', 'char'), ('store', '=', True)]"
)
MANAGER_GROUP = "dataprotect.group_dataprotect_manager"
REQUESTS_CRON = "dataprotect.ir_cron_dataprotect_requests"
CRON = "dataprotect.ir_cron_dataprotect_anonymize"
EXPORT_RETENTION_PARAM = "dataprotect.export_retention_days"


class DataprotectMarketplace(models.Model):
    _name = "dataprotect.marketplace"
    _description = "Marketplace (data protection)"
    _order = "name, id"

    name = fields.Char(required=True, translate=False)
    active = fields.Boolean(default=True)
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        relation="dataprotect_marketplace_crm_team_rel",
        column1="marketplace_id",
        column2="team_id",
        string="Sales Teams",
        help="Orders of these sales teams come from this marketplace. Their "
        "deliveries, invoices and the buyers' addresses are tagged with it and "
        "anonymized when the retention period has passed.",
    )
    email_domains = fields.Text(
        string="Buyers' E-mail Domains",
        help="Orders whose buyer has an e-mail address of one of these domains "
        "come from this marketplace, whatever their sales team: one domain per "
        "line, * stands for any text (marketplace.amazon.* matches "
        "marketplace.amazon.de and marketplace.amazon.co.uk).",
    )
    order_number_pattern = fields.Char(
        help="Orders whose customer reference or source document is, as a "
        "whole, an order number of this form come from this marketplace, "
        r"whatever their sales team: a regular expression (\d{3}-\d{7}-\d{7} is "
        "Amazon's 302-1234567-1234567).",
    )
    rule_match_summary = fields.Text(
        string="Orders Matching the Rules",
        compute="_compute_rule_match_summary",
        help="The orders not yet anonymized that the recognition rules as "
        "entered match, per sales team: shown before the rules are saved.",
    )
    rule_match_warning = fields.Boolean(compute="_compute_rule_match_summary")
    retention_days = fields.Integer(
        string="Retention (days)",
        default=30,
        required=True,
        help="How many days after the last delivery of an order (or after its "
        "cancellation) the buyer's personal data may be kept. Amazon: 30 days.",
    )
    placeholder = fields.Char(
        required=True,
        translate=True,
        default=lambda self: self.env._("Anonymized"),
        help="The text that replaces buyers' names (and any other personal text "
        "found in documents and messages) once they are anonymized, in the "
        "administrator's language whoever runs the anonymization. It is "
        "stored as plain text, never rendered as HTML.",
    )
    order_number_field_id = fields.Many2one(
        comodel_name="ir.model.fields",
        ondelete="set null",
        domain=ORDER_NUMBER_FIELD_DOMAIN,
        help="The field of the orders where your marketplace connector keeps "
        "the marketplace's order number, if not in the customer reference or "
        "the source document: deletion requests match it too.",
    )
    gift_message_field_id = fields.Many2one(
        comodel_name="ir.model.fields",
        ondelete="set null",
        domain=GIFT_MESSAGE_FIELD_DOMAIN,
        help="The field of the order lines that holds the buyer's gift message, "
        "if your marketplace connector stores one there. It is cleared when the "
        "order is anonymized. Texts of custom product attributes are always cleared.",
    )
    gift_message_field_name = fields.Char(
        readonly=True,
        copy=False,
        help="The name of the chosen gift message field, kept when the field "
        "itself is deleted: the scheduled action then refuses to run instead "
        "of leaving the gift messages in place.",
    )
    order_count = fields.Integer(compute="_compute_order_count", string="Orders")
    due_order_count = fields.Integer(
        compute="_compute_order_count",
        string="Due Orders",
        help="Orders whose retention period has passed and whose personal data "
        "the scheduled action will anonymize on its next run.",
    )

    @api.depends("team_ids")
    def _compute_order_count(self):
        orders = self.env["sale.order"]
        for marketplace in self:
            marketplace_id = marketplace._origin.id
            marketplace.order_count = marketplace_id and orders.search_count(
                [("dataprotect_marketplace_id", "=", marketplace_id)]
            )
            marketplace.due_order_count = (
                marketplace_id and orders._dataprotect_due_count([marketplace_id])
            )

    @api.model
    def _data_lang(self):
        """The language anonymized records are written in: the
        administrator's, whoever runs the anonymization (the scheduled action
        runs as the superuser), so that a German database says "Anonymisiert"
        everywhere, also where it was installed in English."""
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        return (admin and admin.sudo().lang) or self.env.lang or "en_US"

    def _placeholder_text(self):
        """The placeholder written into anonymized records, in ``_data_lang``;
        a person of no marketplace gets the first marketplace's, so that the
        contact list does not mix two words for the same thing."""
        marketplace = (self or self.sudo().search([], limit=1)).with_context(
            lang=self._data_lang()
        )
        if not marketplace:
            return marketplace.env._("Anonymized")
        marketplace.ensure_one()
        return marketplace.placeholder

    @api.constrains("placeholder")
    def _check_placeholder(self):
        for marketplace in self:
            if not (marketplace.placeholder or "").strip():
                raise ValidationError(
                    self.env._(
                        "The placeholder of marketplace %(marketplace)s must not be "
                        "empty: it replaces the buyers' names.",
                        marketplace=marketplace.name,
                    )
                )

    @api.constrains("retention_days")
    def _check_retention_days(self):
        for marketplace in self:
            if marketplace.retention_days < 1:
                raise ValidationError(
                    self.env._(
                        "The retention period of marketplace %(marketplace)s must be "
                        "at least 1 day (it is %(days)s).",
                        marketplace=marketplace.name,
                        days=marketplace.retention_days,
                    )
                )

    @staticmethod
    def _unusable_gift_field(field):
        return (
            field.model != "sale.order.line"
            or field.ttype not in GIFT_MESSAGE_FIELD_TYPES
            or not field.store
            or field.required
        )

    @api.constrains("gift_message_field_id")
    def _check_gift_message_field_id(self):
        for marketplace in self:
            field = marketplace.gift_message_field_id
            if field and self._unusable_gift_field(field):
                raise ValidationError(
                    self.env._(
                        "The gift message field must be an optional, stored text field "
                        "(char, text or html) of the sales order lines; %(field)s is a "
                        "%(type)s field of %(model)s.",
                        field=field.name,
                        type=field.ttype,
                        model=field.model,
                    )
                )

    @api.constrains("team_ids")
    def _check_team_ids(self):
        for marketplace in self:
            others = self.with_context(active_test=False).search(
                [
                    ("team_ids", "in", marketplace.team_ids.ids),
                    ("id", "!=", marketplace.id),
                ]
            )
            for other in others:
                teams = marketplace.team_ids & other.team_ids
                raise ValidationError(
                    self.env._(
                        "The sales team %(team)s already belongs to marketplace "
                        "%(other)s. A sales team can belong to one marketplace only.",
                        team=", ".join(teams.mapped("display_name")),
                        other=other.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._remember_gift_field_name(vals)
            self._normalize_rules(vals)
        marketplaces = super().create(vals_list)
        self.env["dataprotect.tagger"]._start()
        return marketplaces

    def write(self, vals):
        self._remember_gift_field_name(vals)
        self._normalize_rules(vals)
        before = {m: m._tagging_key() for m in self}
        res = super().write(vals)
        if any(m._tagging_key() != key for m, key in before.items()):
            self.env["dataprotect.tagger"]._start()
        return res

    def _tagging_key(self):
        """What decides which orders are the marketplace's."""
        return (
            self.active,
            tuple(sorted(self.team_ids.ids)),
            self.email_domains or "",
            self.order_number_pattern or "",
        )

    def _remember_gift_field_name(self, vals):
        if "gift_message_field_id" in vals:
            field = self.env["ir.model.fields"].browse(vals["gift_message_field_id"])
            vals["gift_message_field_name"] = field.name or False

    @api.model
    def _normalize_rules(self, vals):
        domains, pattern = self.env["dataprotect.tagger"]._normalized_rules(
            vals.get("email_domains"), vals.get("order_number_pattern")
        )
        if "email_domains" in vals:
            vals["email_domains"] = domains
        if "order_number_pattern" in vals:
            vals["order_number_pattern"] = pattern

    @api.depends("email_domains", "order_number_pattern")
    def _compute_rule_match_summary(self):
        for marketplace in self:
            (
                marketplace.rule_match_summary,
                marketplace.rule_match_warning,
            ) = self.env["dataprotect.tagger"]._edited_rule_matches(
                marketplace._origin,
                marketplace.email_domains,
                marketplace.order_number_pattern,
            )

    @api.constrains("email_domains", "order_number_pattern")
    def _check_recognition_rules(self):
        for marketplace in self:
            errors = self.env["dataprotect.tagger"]._rule_errors(
                split_domains(marketplace.email_domains),
                marketplace.order_number_pattern or "",
            )
            if errors:
                raise ValidationError(
                    self.env._(
                        "Marketplace %(marketplace)s: %(errors)s",
                        marketplace=marketplace.name,
                        errors="\n".join(errors),
                    )
                )

    @api.model
    def _check_manager(self):
        """Every entry point that shows or changes personal data in bulk checks
        this on the server, whatever the view shows."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only Data Protection managers may do this."))

    @api.model
    def _int_param(self, key, default):
        """A positive integer system parameter, or ``default`` when it is not
        set or not a positive integer (then with a warning in the server log)."""
        value = self._param_value(key)
        if value is None:
            return default
        if not value:
            _logger.warning(
                "dataprotect: system parameter %s is %r, not a positive whole "
                "number; using %s",
                key,
                self.env["ir.config_parameter"].sudo().get_param(key),
                default,
            )
            return default
        return value

    @api.model
    def _param_value(self, key):
        """A positive integer system parameter: None if it is not set, 0 if it
        is not a positive whole number."""
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        if value is None or value is False:
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            return 0
        return max(number, 0)

    @api.model
    def _export_retention_days(self):
        """How many days an export file is kept before it is deleted."""
        return self._int_param(EXPORT_RETENTION_PARAM, 7)

    def _setting_problems(self, trigger):
        """What is wrong with the settings that a run of kind ``trigger``
        (cron, purge, export) relies on, per marketplace: {marketplace:
        [message]}. Settings written past the forms (SQL, system parameters,
        deleted fields or teams) end up here; a run with problems changes
        nothing. The messages name the setting, never personal data."""
        _ = self.env._
        problems = {}
        teams_lost = self._orders_without_their_team()
        for marketplace in self:
            found = []
            name = marketplace.name
            if trigger == "cron" and (marketplace.retention_days or 0) < 1:
                found.append(
                    _(
                        "The retention period of marketplace %(marketplace)s is "
                        "%(days)s days; it must be at least 1 day.",
                        marketplace=name,
                        days=marketplace.retention_days or 0,
                    )
                )
            if not (marketplace.placeholder or "").strip():
                found.append(
                    _(
                        "The placeholder of marketplace %(marketplace)s is empty.",
                        marketplace=name,
                    )
                )
            found += marketplace._gift_field_problems()
            if teams_lost.get(marketplace.id):
                found.append(
                    _(
                        "Orders of marketplace %(marketplace)s that have lost "
                        "their sales team (it was deleted or unlinked outside "
                        "Odoo's forms): %(count)s. Give them a sales team again.",
                        count=teams_lost[marketplace.id],
                        marketplace=name,
                    )
                )
            if trigger == "export" and self._param_value(EXPORT_RETENTION_PARAM) == 0:
                found.append(
                    _(
                        "The system parameter %(param)s must be a positive whole "
                        "number of days.",
                        param=EXPORT_RETENTION_PARAM,
                    )
                )
            if found:
                problems[marketplace] = found
        return problems

    def _gift_field_problems(self):
        self.ensure_one()
        _ = self.env._
        field = self.gift_message_field_id
        stored_name = self.gift_message_field_name
        if not field:
            if not stored_name:
                return []
            return [
                _(
                    "The gift message field %(field)s of marketplace "
                    "%(marketplace)s was deleted. Choose the field that holds the "
                    "gift messages now, or forget it on the marketplace.",
                    field=stored_name,
                    marketplace=self.name,
                )
            ]
        line_field = self.env["sale.order.line"]._fields.get(field.name)
        if (
            self._unusable_gift_field(field)
            or (stored_name and stored_name != field.name)
            or not line_field
            or line_field.type not in GIFT_MESSAGE_FIELD_TYPES
            or not line_field.store
        ):
            return [
                _(
                    "The gift message field %(field)s of marketplace "
                    "%(marketplace)s is not (or no longer) an optional, stored "
                    "text field of the sales order lines.",
                    field=stored_name or field.name,
                    marketplace=self.name,
                )
            ]
        return []

    def _orders_without_their_team(self):
        """{marketplace id: number of its active orders tagged for their sales
        team whose team is not one of its teams}: only SQL past the ORM leaves
        them so (a deleted team, a removed link); the ORM re-tags an order
        whose team changes."""
        if not self:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT so.dataprotect_marketplace_id, count(*) FROM sale_order so
            WHERE so.dataprotect_marketplace_id = ANY(%s)
              AND so.dataprotect_anonymized_at IS NULL
              AND so.dataprotect_tag_reason = 'team'
              AND NOT EXISTS (
                SELECT 1 FROM dataprotect_marketplace_crm_team_rel rel
                WHERE rel.marketplace_id = so.dataprotect_marketplace_id
                  AND rel.team_id = so.team_id)
            GROUP BY so.dataprotect_marketplace_id
            """,
                id_array(self.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _recognised_domain(self):
        """The orders not yet anonymized that this marketplace's rules, not
        its teams, made its."""
        return self._active_order_domain() + [
            ("dataprotect_tag_reason", "in", RULE_REASONS)
        ]

    def action_protect_detected(self):
        """The one step of the settings: link the teams of the recognised
        orders (those holding no other orders) and switch the scheduled
        anonymization on."""
        self._check_manager()
        self.ensure_one()
        _count, suggested, _others = self.env["dataprotect.tagger"]._detected(self)
        if suggested:
            self.sudo().write({"team_ids": [Command.link(t.id) for t in suggested]})
        if not self.env.ref(CRON).sudo().active:
            self._set_cron_active(True)

    @api.model
    def _set_cron_active(self, active):
        """Switch the scheduled anonymization on or off."""
        self._check_manager()
        values = {"active": active}
        if active:
            # it runs at once (the settings say so): its next run is now, not
            # the stale time it had when it was switched off
            values["nextcall"] = fields.Datetime.now()
        self.env.ref(CRON).sudo().write(values)

    def action_open_recognised_orders(self):
        action = self.action_open_orders()
        action["domain"] = self._recognised_domain()
        action["context"] = {}
        return action

    def action_forget_gift_message_field(self):
        """After the gift message field was deleted: anonymize without one."""
        self._check_manager()
        self.write({"gift_message_field_id": False})

    def _open_wizard(self, model, **values):
        self._check_manager()
        self.ensure_one()
        return (
            self.env[model].create({"marketplace_id": self.id, **values})._action_open()
        )

    def action_open_purge_wizard(self):
        return self._open_wizard("dataprotect.purge.wizard", mode="purge")

    def action_open_export_wizard(self):
        return self._open_wizard("dataprotect.purge.wizard", mode="export")

    def action_open_preview(self):
        return self._open_wizard("dataprotect.preview.wizard")

    def action_check_coverage(self):
        """Queue a coverage check of this marketplace (it changes nothing)."""
        self._check_manager()
        self.ensure_one()
        run = self.env["dataprotect.run"].sudo()._start("coverage", self)
        self.env.ref(REQUESTS_CRON).sudo()._trigger()
        return run._action_open()

    def request_deletion(self, order_numbers):
        """Queue the marketplace's deletion request for ``order_numbers`` (a
        list of strings, or one text: one number per line, or a CSV) and
        return what becomes of each number::

            {"run_id": 42, "duplicates": 1,
             "erase": [...], "anonymized": [...], "refused": [...],
             "other": [...], "not_found": [...]}

        The buyers of the numbers to ``erase`` are erased by the requests
        cron, in the background (the run ``run_id`` logs each number's
        result). Data Protection managers only. Over XML-RPC::

            models.execute_kw(db, uid, key, "dataprotect.marketplace",
                              "request_deletion", [[marketplace_id], numbers])
        """
        self.ensure_one()
        run = self.env["dataprotect.deletion"].start(self, order_numbers)
        return {
            "run_id": run.id,
            "duplicates": run.duplicate_count,
            **numbers_by_state((line.number, line.state) for line in run.number_ids),
        }

    def _start_request(self, trigger):
        """Queue a purge or an export-then-purge of all the marketplace's active
        personal data; the requests cron works it off in batches."""
        self._check_manager()
        self.ensure_one()
        if not self.active:
            raise UserError(
                self.env._("The marketplace %(name)s is archived.", name=self.name)
            )
        running = (
            self.env["dataprotect.run"]
            .sudo()
            .search_count(
                [
                    ("marketplace_id", "=", self.id),
                    ("trigger", "in", ("purge", "export")),
                    ("state", "=", "running"),
                ]
            )
        )
        if running:
            raise UserError(
                self.env._(
                    "A purge of marketplace %(name)s is already running.",
                    name=self.name,
                )
            )
        run = (
            self.env["dataprotect.run"]
            .sudo()
            ._start(
                trigger,
                self,
                remaining_count=self.env["sale.order"].search_count(
                    self._active_order_domain()
                ),
            )
        )
        self.env.ref(REQUESTS_CRON).sudo()._trigger()
        return run

    def _active_order_domain(self):
        return [
            ("dataprotect_marketplace_id", "=", self.id),
            ("dataprotect_anonymized_at", "=", False),
        ]

    def action_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_orders")
        action["domain"] = [("dataprotect_marketplace_id", "=", self.id)]
        action["context"] = {"search_default_dataprotect_personal_data_active": 1}
        return action

    def action_open_due_orders(self):
        action = self.action_open_orders()
        action["domain"] += [("dataprotect_due", "=", True)]
        action["context"] = {}
        return action

    @api.model
    def _cron_process_requests(self):
        """Entry point of the scheduled action that works off purge and export
        requests in batches."""
        return self.env["dataprotect.job"].run_requests()

    @api.model
    def _cron_anonymize(self):
        """Entry point of the scheduled action: anonymize one bounded batch of
        due orders per call and report the progress to the cron runner, which
        commits and calls again while work remains."""
        return self.env["dataprotect.job"].run_scheduled()
