from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CRON_XMLID, NOW, DataprotectCase


def shown_alerts(settings, setting_id="dataprotect_cron"):
    """The texts of the alerts a user sees in a setting of the Data
    Protection block: the view's ``invisible`` expressions evaluated on the
    settings' values, as the web client does."""
    arch = settings.get_views([(False, "form")])["views"]["form"]["arch"]
    values = {}
    for name, field in settings._fields.items():
        if name.startswith("dataprotect_"):
            value = settings[name]
            if field.type == "many2one":
                value = value.id
            elif field.type in ("one2many", "many2many"):
                value = value.ids
            values[name] = value
    shown = []
    for alert in etree.fromstring(arch).xpath(
        f"//setting[@id='{setting_id}']//div[contains(@class, 'alert')]"
    ):
        if not safe_eval(alert.get("invisible") or "False", values):
            shown.append(" ".join("".join(alert.itertext()).split()))
    return shown


@tagged("post_install", "-at_install")
class TestSettings(DataprotectCase):
    def _save(self, **values):
        settings = self.env["res.config.settings"].create(values)
        settings.execute()

    def _assert_refused(self, message, method, *args, **kwargs):
        # assertRaises (not assertRaisesRegex) rolls back to a savepoint
        with self.assertRaises(ValidationError) as refused:
            method(*args, **kwargs)
        self.assertIn(message, str(refused.exception))

    def test_settings_write_the_amazon_marketplace(self):
        gift = self.env["ir.model.fields"]._get("sale.order.line", "name")
        team = self.env["crm.team"].create({"name": "Amazon FR"})
        with Form(self.env["res.config.settings"]) as form:
            form.dataprotect_retention_days = 45
            form.dataprotect_placeholder = "Entfernt"
            form.dataprotect_team_ids.add(team)
        self.assertEqual(self.marketplace.retention_days, 45)
        self.assertEqual(self.marketplace.placeholder, "Entfernt")
        self.assertEqual(self.marketplace.team_ids, self.amazon_team | team)
        self.assertNotEqual(self.marketplace.gift_message_field_id, gift)

    def test_bad_settings_are_refused_and_change_nothing(self):
        before = self.marketplace.read(
            ["placeholder", "retention_days", "team_ids", "gift_message_field_id"]
        )
        other = self.env["dataprotect.marketplace"].create({"name": "eBay"})
        bad_values = [
            ({"dataprotect_placeholder": "   "}, "must not be empty"),
            ({"dataprotect_retention_days": 0}, "at least 1 day"),
            (
                {
                    "dataprotect_gift_message_field_id": self.env["ir.model.fields"]
                    ._get("sale.order", "note")
                    .id
                },
                "order lines",
            ),
            (
                {
                    "dataprotect_gift_message_field_id": self.env["ir.model.fields"]
                    ._get("sale.order.line", "price_unit")
                    .id
                },
                "order lines",
            ),
        ]
        for values, message in bad_values:
            with self.subTest(values=values):
                self._assert_refused(message, self._save, **values)
        self._assert_refused(
            "The sales team Amazon DE already belongs to marketplace Amazon",
            other.write,
            {"team_ids": [Command.link(self.amazon_team.id)]},
        )
        other.team_ids = [Command.link(self.shop_team.id)]
        self._assert_refused(
            "already belongs to marketplace eBay",
            self._save,
            dataprotect_team_ids=[Command.link(self.shop_team.id)],
        )
        self.assertEqual(
            self.marketplace.read(
                ["placeholder", "retention_days", "team_ids", "gift_message_field_id"]
            ),
            before,
        )

    def test_cron_buttons_and_state(self):
        cron = self.env.ref("dataprotect.ir_cron_dataprotect_anonymize")
        self.assertFalse(cron.active, "the destructive job ships inactive")
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.dataprotect_cron_active)
        settings.action_dataprotect_cron_activate()
        self.assertTrue(cron.active)
        self.assertTrue(
            self.env["res.config.settings"].create({}).dataprotect_cron_active
        )
        settings.action_dataprotect_cron_deactivate()
        self.assertFalse(cron.active)

    def test_activating_runs_at_once_and_says_so(self):
        cron = self.env.ref(CRON_XMLID)
        cron.nextcall = "2026-01-01 03:00:00"
        with self._frozen():
            settings = self.env["res.config.settings"].create({})
            # inactive for long: no stale "next run" in the past
            self.assertEqual(settings.dataprotect_cron_nextcall, NOW)
            settings.action_dataprotect_cron_activate()
            self.assertEqual(cron.nextcall, NOW)
        arch = settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("Activating runs it at once for the orders due now", arch)

    def test_the_policy_warning_needs_a_due_order(self):
        self._order(self._buyer("NotDue"), shipped_days_ago=3)
        with self._frozen():
            alerts = shown_alerts(self.env["res.config.settings"].create({}))
        self.assertEqual(len(alerts), 1, alerts)
        self.assertIn("No Amazon order is past its retention period yet", alerts[0])
        self._order(self._buyer("Due"), shipped_days_ago=31)
        # a new request: the counts are not cached
        self.env.invalidate_all()
        with self._frozen():
            alerts = shown_alerts(self.env["res.config.settings"].create({}))
        self.assertEqual(len(alerts), 1, alerts)
        self.assertIn(
            "Amazon orders past their retention period: . The scheduled action "
            "is inactive",
            alerts[0],
        )
        with self._frozen():
            settings = self.env["res.config.settings"].create({})
            self.assertEqual(settings.dataprotect_due_order_count, 1)
        self.env.ref(CRON_XMLID).active = True
        with self._frozen():
            self.assertFalse(shown_alerts(self.env["res.config.settings"].create({})))

    def test_a_failed_run_once_fixed_offers_a_retry(self):
        cron = self.env.ref(CRON_XMLID)
        cron.active = True
        self._order(self._buyer("Retry"), shipped_days_ago=31)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE dataprotect_marketplace SET retention_days = 0 WHERE id = %s",
            [self.marketplace.id],
        )
        self.env.invalidate_all()
        self._run_cron()
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dataprotect_failed_run_id.state, "failed")
        alerts = shown_alerts(settings)
        self.assertEqual(len(alerts), 1, alerts)
        self.assertIn("cannot run until this is fixed", alerts[0])
        self.assertIn(
            "retention period of marketplace Amazon is 0 days",
            settings.dataprotect_setting_problems,
        )
        # fixed on the settings screen
        self._save(dataprotect_retention_days=30)
        settings = self.env["res.config.settings"].create({})
        alerts = shown_alerts(settings)
        self.assertEqual(len(alerts), 1, alerts)
        self.assertIn("The last scheduled run failed", alerts[0])
        self.assertIn("The settings are in order now.", alerts[0])
        action = settings.action_dataprotect_cron_retry()
        self.assertEqual(action["tag"], "display_notification")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        # the retry runs: the banner goes
        self._run_cron()
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dataprotect_last_run_id.state, "done")
        self.assertFalse(shown_alerts(settings))

    def test_last_result_is_the_scheduled_jobs(self):
        self._run_cron()
        scheduled = self._last_run()
        with self._frozen():
            self.marketplace.action_open_preview()
        self.assertEqual(self._last_run().trigger, "preview")
        erasure = self.env["dataprotect.erasure.wizard"].create(
            {"partner_id": self._buyer("Elsewhere").id}
        )
        erasure.action_confirm()
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dataprotect_last_run_id, scheduled)

    def test_settings_guide_the_setup(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]
        arch = arch["form"]["arch"]
        self.assertIn("First choose the sales teams", arch)
        self.assertIn("policy is not being met", arch)
        self.marketplace.team_ids = False
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.dataprotect_team_ids)
        self.marketplace.team_ids = self.amazon_team
        self._order(self._buyer("Guide"), shipped_days_ago=3)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dataprotect_order_count, 1)
        self.assertFalse(settings.dataprotect_cron_active)

    def test_transport_report_on_first_load(self):
        # the settings form's first load is an onchange on a new record: the
        # report must be in it, not only after a save
        self.env["ir.config_parameter"].set_param("web.base.url", "http://shop.test")
        fnames = (
            "dataprotect_marketplace_id",
            "dataprotect_https_ok",
            "dataprotect_https_text",
        )
        spec = {fname: {} for fname in fnames}
        value = self.env["res.config.settings"].onchange({}, [], spec)["value"]
        self.assertFalse(value["dataprotect_https_ok"])
        self.assertIn("http://shop.test is not HTTPS", value["dataprotect_https_text"])

    def test_due_count_and_last_result_on_settings(self):
        self._order(self._buyer("Count"), shipped_days_ago=31)
        with self._frozen():
            settings = self.env["res.config.settings"].create({})
            self.assertEqual(settings.dataprotect_due_order_count, 1)
        self._run_cron()
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dataprotect_last_run_state, "done")
        self.assertEqual(settings.dataprotect_last_run_id.order_count, 1)


@tagged("post_install", "-at_install")
class TestGerman(DataprotectCase):
    def test_errors_and_labels_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["dataprotect"], ["de_DE"])
        marketplace = self.marketplace.with_context(lang="de_DE")
        with self.assertRaises(ValidationError) as refused:
            marketplace.retention_days = 0
        self.assertIn("mindestens 1 Tag", str(refused.exception))
        fields_de = marketplace.fields_get(["retention_days", "placeholder"])
        self.assertEqual(fields_de["placeholder"]["string"], "Platzhalter")
        self.assertEqual(self.marketplace.retention_days, 30)

    def test_placeholder_in_the_administrators_language(self):
        """Installed in English, German added later: the shipped Amazon
        marketplace writes "Anonymisiert", whoever anonymizes (the scheduled
        action as the superuser, an English-speaking manager's erasure), so
        that the contact list does not mix two words."""
        # as shipped (the common set-up writes its own placeholder)
        self.marketplace.with_context(lang="en_US").placeholder = "Anonymized"
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["dataprotect"], ["de_DE"])
        self.env.ref("base.user_admin").lang = "de_DE"
        german = self.marketplace.with_context(lang="de_DE")
        self.assertEqual(german.placeholder, "Anonymisiert")
        settings = self.env["res.config.settings"].with_context(lang="de_DE")
        self.assertEqual(settings.create({}).dataprotect_placeholder, "Anonymisiert")
        buyer = self._buyer("Gruen")
        self._order(buyer, shipped_days_ago=31)
        self._run_cron()
        self.assertEqual(buyer.name, "Anonymisiert")
        other = self._buyer("Blau")
        self._order(other, shipped_days_ago=3)
        manager = self._manager("dp_english").with_context(lang="en_US")
        wizard = self.env["dataprotect.erasure.wizard"].with_user(manager)
        wizard.create({"partner_id": other.id}).action_confirm()
        self.assertEqual(other.name, "Anonymisiert")
