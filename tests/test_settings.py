from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.dataprotect.hooks import post_init_hook

from .common import DataprotectCase


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
        """Installed on a German database, the Amazon marketplace replaces
        buyers' names with "Anonymisiert", not with the English default."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env.ref("base.user_admin").lang = "de_DE"
        post_init_hook(self.env)
        self.assertEqual(self.marketplace.placeholder, "Anonymisiert")
        buyer = self._buyer("Gruen")
        self._order(buyer, shipped_days_ago=31)
        self._run_cron()
        self.assertEqual(buyer.name, "Anonymisiert")
