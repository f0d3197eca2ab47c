"""Marketplace orders recognised whatever connector brought them: by the
buyer's e-mail domain (Amazon's relay addresses) or by the order number, on
sales teams nobody linked; the settings' detection and one-step setup."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import convert_file

from .common import CRON_XMLID, DataprotectCase
from .test_settings import shown_alerts

# as Amazon's connectors store the buyer's relay address: with a display name
RELAY = '"Şükrü Öztürk" <0x3kq9v2m7pl4zt8w@marketplace.amazon.de>'
RELAY_UK = "Ayşe Yılmaz <7hd82kslq0p3m1x@marketplace.amazon.co.uk>"


@tagged("post_install", "-at_install")
class TestRecognition(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a connector's own team, linked to no marketplace
        cls.connector_team = cls.env["crm.team"].create({"name": "Amazon Connector"})

    def _relay_buyer(self, tag, email=RELAY):
        return self._buyer(tag, email=email)

    def _assert_tagged(self, order, reason):
        self.assertEqual(order.dataprotect_tag_reason, reason)
        for records in (order, order.picking_ids, order.invoice_ids, order.partner_id):
            self.assertEqual(
                records.mapped("dataprotect_marketplace_id"), self.marketplace
            )

    def test_relay_address_on_an_unlinked_team_is_tagged_and_anonymized(self):
        buyer = self._relay_buyer("Relay")
        order = self._order(
            buyer, shipped_days_ago=40, team=self.connector_team, reference="S00042"
        )
        self._assert_tagged(order, "email")
        # a relay address of another Amazon country, on the invoice address only
        uk_buyer = self._buyer("Relayuk")
        uk_buyer.child_ids.filtered(lambda c: c.type == "invoice").email = RELAY_UK
        uk_order = self._order(
            uk_buyer, shipped_days_ago=40, team=self.connector_team, reference="S00043"
        )
        self._assert_tagged(uk_order, "email")
        name, email = buyer.name, buyer.email_normalized
        self.assertIn(("res.partner", buyer.id), self._privacy_lookup(name, email))
        self._run_cron()
        for tagged_order in (order, uk_order):
            self.assertTrue(tagged_order.dataprotect_anonymized_at)
            self.assertEqual(tagged_order.partner_id.name, "Anonymized")
            self.assertFalse(tagged_order.partner_id.email)
        self.assertFalse(self._privacy_lookup(name, email))

    def test_amazon_order_number_is_tagged_and_anonymized(self):
        buyer = self._buyer("Number")
        order = self._order(
            buyer,
            shipped_days_ago=40,
            team=self.connector_team,
            reference=" 028-1234567-7654321 ",
        )
        self._assert_tagged(order, "order_number")
        # in the source document, as a CSV import may put it
        buyer2 = self._buyer("Origin")
        order2 = self._order(
            buyer2, shipped_days_ago=10, team=self.connector_team, reference=""
        )
        self.assertFalse(order2.dataprotect_marketplace_id)
        order2.origin = "171-7654321-1234567"
        self._assert_tagged(order2, "order_number")
        self._run_cron()
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertNotIn("Number", order.partner_shipping_id.street or "")
        # not yet due: tagged, still there
        self.assertFalse(order2.dataprotect_anonymized_at)
        self.assertEqual(order2.partner_id.name, "Erika Origin Mustermann")

    def test_webshop_order_is_not_tagged(self):
        buyer = self._buyer("Shop", email='"Erika Shop" <erika.shop@gmail.com>')
        order = self._order(
            buyer, shipped_days_ago=40, team=self.shop_team, reference="WEB-4711"
        )
        order.origin = "S00042"
        for records in (order, order.picking_ids, order.invoice_ids, buyer):
            self.assertFalse(records.mapped("dataprotect_marketplace_id"))
        self.assertFalse(order.dataprotect_tag_reason)
        self._run_cron()
        self.assertEqual(buyer.name, "Erika Shop Mustermann")
        self.assertEqual(order.client_order_ref, "WEB-4711")

    def test_the_sales_team_comes_first(self):
        order = self._order(self._relay_buyer("Team"), shipped_days_ago=5)
        self._assert_tagged(order, "team")

    def test_tag_follows_the_orders_fields(self):
        buyer = self._buyer("Later")
        order = self._order(
            buyer, shipped_days_ago=5, team=self.shop_team, reference="WEB-1"
        )
        self.assertFalse(order.dataprotect_marketplace_id)
        # the connector fills in the Amazon order number after creating it
        order.client_order_ref = "302-7654321-1234567"
        self._assert_tagged(order, "order_number")
        order.client_order_ref = "WEB-1"
        self.assertFalse(order.dataprotect_marketplace_id)
        self.assertFalse(order.picking_ids.dataprotect_marketplace_id)
        # or it writes the buyer's relay address afterwards
        buyer.email = RELAY
        self._assert_tagged(order, "email")
        # a new delivery address of a tagged order is tagged too
        address = self.env["res.partner"].create({"name": "Neue Adresse Später"})
        order.partner_shipping_id = address
        self.assertEqual(address.dataprotect_marketplace_id, self.marketplace)
        # an anonymized order keeps its tag whatever happens
        self._run_cron(self._days_later(40))
        self.assertTrue(order.dataprotect_anonymized_at)
        order.client_order_ref = "WEB-2"
        self.assertEqual(order.dataprotect_marketplace_id, self.marketplace)

    def test_new_rule_tags_existing_orders_in_batches(self):
        self.env["ir.config_parameter"].set_param("dataprotect.batch_size", "2")
        orders = [
            self._order(
                self._buyer(f"Otto{n}", email=f"k{n}x9@partner.otto-market.de"),
                shipped_days_ago=40,
                team=self.shop_team,
            )
            for n in range(5)
        ]
        other = self.env["dataprotect.marketplace"].create(
            {"name": "Otto", "retention_days": 30, "placeholder": "Anonymisiert"}
        )
        self.assertFalse(any(o.dataprotect_marketplace_id for o in orders))
        other.email_domains = "*.otto-market.de"
        # the first batch at once, the rest by the requests cron
        self.assertTrue(self.env["dataprotect.tagger"]._pending())
        tagged_now = [o for o in orders if o.dataprotect_marketplace_id]
        self.assertLess(len(tagged_now), 5)
        self._process_requests()
        self.assertFalse(self.env["dataprotect.tagger"]._pending())
        for order in orders:
            self.assertEqual(order.dataprotect_marketplace_id, other)
            self.assertEqual(order.dataprotect_tag_reason, "email")
            self.assertEqual(order.partner_id.dataprotect_marketplace_id, other)
        # a rule taken back untags what it no longer matches
        other.email_domains = "partner.otto-market.com"
        self._process_requests()
        self.assertFalse(any(o.dataprotect_marketplace_id for o in orders))

    def test_a_tagging_batch_takes_no_table_lock(self):
        """Another connection can write orders while the orders are tagged:
        a batch holds row locks only."""
        order = self._order(
            self._buyer("Lock"), shipped_days_ago=5, team=self.shop_team
        )
        self.marketplace.email_domains = "example.de"
        self.assertEqual(order.dataprotect_tag_reason, "email")
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT DISTINCT mode FROM pg_locks
               WHERE pid = pg_backend_pid() AND relation = 'sale_order'::regclass"""
        )
        modes = {row[0] for row in self.env.cr.fetchall()}
        self.assertIn("RowExclusiveLock", modes)
        self.assertLessEqual(
            modes, {"AccessShareLock", "RowShareLock", "RowExclusiveLock"}
        )

    def test_bad_patterns_are_refused_and_nothing_is_lost(self):
        cases = [
            ("order_number_pattern", r"(\d{3}-\d{7}", "not a valid regular expression"),
            ("order_number_pattern", ".*", "orders without a reference"),
            ("order_number_pattern", r"\d+", "such as 1"),
            ("order_number_pattern", r"[A-Z]+\d+", "such as S00042"),
            ("email_domains", "*", "not an e-mail domain pattern"),
            ("email_domains", "marketplace.amazon.de\n*.com", "…@gmail.com"),
            ("email_domains", "amazon; gmx.*", "not an e-mail domain pattern"),
            ("email_domains", "*.de", "…@gmx.de"),
        ]
        for field, value, message in cases:
            with self.subTest(value=value):
                with self.assertRaises(ValidationError) as refused:
                    self.marketplace.write({field: value})
                self.assertIn(message, str(refused.exception))
                self.assertIn("Amazon", str(refused.exception))
        self.env.invalidate_all()
        self.assertEqual(self.marketplace.email_domains, "marketplace.amazon.*")
        self.assertEqual(self.marketplace.order_number_pattern, r"\d{3}-\d{7}-\d{7}")

    def test_domains_are_entered_as_people_write_them(self):
        self.marketplace.email_domains = (
            "*@Marketplace.Amazon.DE, @marketplace.amazon.fr\n\nmarketplace.amazon.fr"
        )
        self.assertEqual(
            self.marketplace.email_domains,
            "marketplace.amazon.de\nmarketplace.amazon.fr",
        )

    def test_matches_are_shown_before_saving(self):
        self._order(self._relay_buyer("Form"), shipped_days_ago=5, team=self.shop_team)
        self._order(self._buyer("Plain"), shipped_days_ago=5, team=self.shop_team)
        self._order(self._buyer("Conn"), shipped_days_ago=5, team=self.connector_team)
        form = Form(self.marketplace)
        # as saved: nothing to show (the form would read every order)
        self.assertFalse(form.rule_match_summary)
        form.email_domains = "marketplace.amazon.*\nmarketplace.otto.de"
        self.assertEqual(
            form.rule_match_summary.splitlines(), ["Webshop: 1 of 2 orders"]
        )
        self.assertFalse(form.rule_match_warning)
        # the test buyers' own domain: it would tag the webshop's orders too
        form.email_domains = "marketplace.amazon.*\nexample.de"
        self.assertTrue(form.rule_match_warning)
        self.assertEqual(
            form.rule_match_summary.splitlines(),
            [
                "Amazon Connector: 1 of 1 orders, 1 of them newly tagged",
                "Webshop: 2 of 2 orders, 1 of them newly tagged",
            ],
        )
        # the settings warn only while the rules are being edited
        settings = Form(self.env["res.config.settings"])
        self.assertFalse(settings.dataprotect_rule_match_warning)
        settings.dataprotect_email_domains = "example.de, marketplace.amazon.*"
        self.assertTrue(settings.dataprotect_rule_match_warning)
        self.assertIn(
            "Webshop: 2 of 2 orders, 1 of them newly tagged",
            settings.dataprotect_rule_match_summary,
        )
        settings.dataprotect_email_domains = "@Marketplace.Amazon.*"
        self.assertFalse(settings.dataprotect_rule_match_warning)
        # nothing saved yet
        self.assertEqual(self.marketplace.email_domains, "marketplace.amazon.*")
        self.assertFalse(
            self.env["sale.order"].search_count(
                [
                    ("dataprotect_tag_reason", "=", "email"),
                    ("team_id", "=", self.connector_team.id),
                ]
            )
        )

    def test_preview_and_log_count_by_reason(self):
        self._order(self._buyer("ByTeam"), shipped_days_ago=40)
        self._order(
            self._relay_buyer("ByMail"),
            shipped_days_ago=40,
            team=self.connector_team,
            reference="S1",
        )
        self._order(
            self._buyer("ByNumber"),
            shipped_days_ago=40,
            team=self.connector_team,
            reference="302-1111111-2222222",
        )
        expected = "Sales Team: 1 · Buyer's E-mail Domain: 1 · Order Number: 1"
        with self._frozen():
            preview = self.env["dataprotect.preview.wizard"].create(
                {"marketplace_id": self.marketplace.id}
            )
        self.assertEqual(preview.reason_summary, expected)
        self.assertEqual(self._last_run().reason_summary, expected)
        self._run_cron()
        run = self._last_run()
        self.assertEqual((run.trigger, run.order_count), ("cron", 3))
        self.assertEqual(run.reason_summary, expected)


@tagged("post_install", "-at_install")
class TestDetection(DataprotectCase):
    """A seller whose connector puts the Amazon orders on a team nobody
    linked: the settings say so, in German, and protect them in one step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.module.module"]._load_module_terms(["dataprotect"], ["de_DE"])
        cls.connector_team = cls.env["crm.team"].create({"name": "Amazon Connector"})
        cls.sales_team = cls.env["crm.team"].create({"name": "Verkauf"})
        cls.marketplace.team_ids = [Command.clear()]

    @staticmethod
    def _detection_alerts(settings):
        return [
            alert
            for alert in shown_alerts(settings, "dataprotect_marketplace")
            if "Amazon-Aufträge" in alert
        ]

    def _settings(self):
        return self.env["res.config.settings"].with_context(lang="de_DE").create({})

    def test_detection_and_one_step_setup_in_german(self):
        cron = self.env.ref(CRON_XMLID)
        self.assertFalse(cron.active)
        self.assertFalse(self._detection_alerts(self._settings()))
        for n in range(2):
            self._order(
                self._buyer(f"Conn{n}", email=RELAY),
                shipped_days_ago=40,
                team=self.connector_team,
                reference=f"S{n}",
            )
        # a team that also holds a webshop's orders
        self._order(
            self._buyer("Mixed", email=RELAY_UK),
            shipped_days_ago=40,
            team=self.sales_team,
            reference="S9",
        )
        self._order(self._buyer("Plain"), shipped_days_ago=40, team=self.sales_team)
        settings = self._settings()
        self.assertEqual(settings.dataprotect_detected_count, 3)
        self.assertEqual(settings.dataprotect_detected_team_ids, self.connector_team)
        self.assertEqual(
            settings.dataprotect_detected_other_teams, "Verkauf (1 von 2 Aufträgen)"
        )
        alerts = self._detection_alerts(settings)
        self.assertEqual(len(alerts), 1)
        self.assertIn("Amazon-Aufträge gefunden", alerts[0])
        self.assertIn("nicht geschützt", alerts[0])
        listed = settings.action_dataprotect_open_recognised_orders()
        self.assertEqual(self.env["sale.order"].search_count(listed["domain"]), 3)

        settings.action_dataprotect_protect_detected()
        self.assertTrue(cron.active)
        self.assertEqual(self.marketplace.team_ids, self.connector_team)
        reasons = self.env["sale.order"].search(
            [("dataprotect_marketplace_id", "=", self.marketplace.id)]
        )
        self.assertEqual(
            sorted(reasons.mapped("dataprotect_tag_reason")),
            ["email", "team", "team"],
        )
        # the webshop's team stays unlinked, its order still recognised; the
        # settings have nothing more to offer
        settings = self._settings()
        self.assertEqual(settings.dataprotect_detected_count, 1)
        self.assertFalse(settings.dataprotect_detected_team_ids)
        self.assertFalse(self._detection_alerts(settings))
        self._run_cron_until_done()
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("dataprotect_anonymized_at", "!=", False)]
            ),
            3,
        )

    def test_installing_on_a_database_with_amazon_orders(self):
        """The addon installed where a connector brought Amazon orders
        already: the shipped Amazon marketplace recognises them at once."""
        orders = [
            self._order(
                self._buyer(f"Before{n}", email=RELAY),
                shipped_days_ago=40,
                team=self.connector_team,
                reference=f"S{n}",
            )
            for n in range(2)
        ]
        self.marketplace.unlink()
        for order in orders:
            self.assertFalse(order.dataprotect_marketplace_id)
        convert_file(
            self.env,
            "dataprotect",
            "data/dataprotect_marketplace_data.xml",
            {},
            mode="init",
            noupdate=True,
        )
        amazon = self.env.ref("dataprotect.marketplace_amazon")
        for order in orders:
            self.assertEqual(order.dataprotect_marketplace_id, amazon)
            self.assertEqual(order.dataprotect_tag_reason, "email")
        settings = self._settings()
        self.assertEqual(settings.dataprotect_detected_count, 2)
        self.assertIn("Amazon-Aufträge gefunden", self._detection_alerts(settings)[0])
