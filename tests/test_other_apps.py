from unittest import SkipTest

from odoo.tests import tagged

from odoo.addons.dataprotect.plan import Stats

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestOtherApps(DataprotectCase):
    """The buyer in the apps sellers run beside Sales (CRM, Email Marketing,
    eCommerce, Purchase), installed in the test database: after the job,
    Odoo's own Privacy Lookup finds nothing of them, and no text column of
    the database holds their values; another customer's records stay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for model in (
            "crm.lead",
            "mailing.contact",
            "website.visitor",
            "ir.attachment",
        ):
            if model not in cls.env:
                raise SkipTest(f"{model} is not installed")
        cls.buyer = cls._buyer("Apps", name="Elif Çelik Apps")
        cls.delivery = cls.buyer.child_ids.filtered(lambda c: c.type == "delivery")
        cls.order = cls._order(cls.buyer, shipped_days_ago=45)
        cls.lead = cls._lead(cls.buyer)
        cls.order.opportunity_id = cls.lead
        cls.lead.message_post(body=f"<p>Rückruf bei {cls.buyer.name} erbeten</p>")
        cls.contact = cls.env["mailing.contact"].create(
            {"name": cls.buyer.name, "email": cls.buyer.email}
        )
        # (as the website creates them, without access rights)
        cls.visitor = (
            cls.env["website.visitor"]
            .sudo()
            .create({"access_token": str(cls.buyer.id)})
        )
        vendor = cls.env["res.partner"].create({"name": "Topf-Großhandel GmbH"})
        cls.dropship = cls.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "dest_address_id": cls.delivery.id,
                "origin": cls.order.name,
                "notes": f"<p>Direkt an {cls.delivery.name}, {cls.delivery.street}</p>",
            }
        )
        # another customer, of the webshop
        cls.other = cls._buyer("Webshop")
        cls._order(cls.other, shipped_days_ago=45, team=cls.shop_team)
        cls.other_lead = cls._lead(cls.other)
        cls.other_contact = cls.env["mailing.contact"].create(
            {"name": cls.other.name, "email": cls.other.email}
        )
        # the order confirmation e-mailed as Odoo sends it (rendered PDF)
        template = cls.env.ref("sale.email_template_edi_sale").with_context(
            force_report_rendering=True
        )
        template.send_mail(cls.order.id)
        cls.values = cls._personal_values(cls.buyer)

    @classmethod
    def _lead(cls, buyer):
        """An opportunity as CRM keeps it: copies of the contact's values."""
        return cls.env["crm.lead"].create(
            {
                "name": f"Kochtöpfe für {buyer.name}",
                "type": "opportunity",
                "partner_id": buyer.id,
                "contact_name": buyer.name,
                "email_from": f'"{buyer.name}" <{buyer.email}>',
                "phone": buyer.phone,
                "street": buyer.street,
                "description": f"<p>Lieferung an {buyer.street}</p>",
            }
        )

    def test_privacy_lookup_finds_nothing_after_the_job(self):
        name, email = self.buyer.name, self.buyer.email
        found = self._privacy_lookup(name, email)
        self.assertIn(("crm.lead", self.lead.id), found)
        self.assertIn(("mailing.contact", self.contact.id), found)
        self._assert_nothing_found(self._run_cron)

    def _assert_nothing_found(self, run):
        """Run ``run`` (a callable); then nothing of the buyer is left: not
        for Privacy Lookup, not in a text column, not in a stored file."""
        name, email = self.buyer.name, self.buyer.email
        self.assertTrue(self._privacy_lookup(name, email))
        self.assertTrue(self._files_left(self.values))
        run()
        self.assertTrue(self.order.dataprotect_anonymized_at)
        self.assertEqual(self._privacy_lookup(name, email), set())
        self.assertEqual(self._scan_database(self.values), set())
        self.assertFalse(self._files_left(self.values))

    def _assert_announced(self, wizard, run, found):
        """The wizard announced what the run then changed, per kind of
        record; of the messages, only those whose text changes."""
        stats = Stats()
        for line in run.line_ids:
            stats.add(line.model, "anonymized", line.anonymized_count)
            stats.add(line.model, "exempted", line.exempted_count)
        self.assertEqual(wizard.record_summary, wizard._record_summary(stats))
        for model in (
            "crm.lead",
            "mailing.contact",
            "website.visitor",
            "ir.attachment",
        ):
            self.assertIn(self.env["ir.model"]._get(model).name, wizard.record_summary)
        self.assertEqual(wizard.message_count, stats[("mail.message", "anonymized")])
        self.assertLess(0, wizard.message_count)
        self.assertLess(wizard.message_count, len(found.records("mail.message")))

    def _request(self, mode):
        """A purge or an export-then-purge of Amazon, confirmed and worked off;
        it changes what its wizard announced."""
        wizard = self._purge_wizard(self._manager(f"dp_apps_{mode}"), mode)
        wizard.confirm_name = "Amazon"
        found = self.env["dataprotect.planner"].plan_people(self.buyer)
        found.records("mail.message")
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self._process_requests()
        self._assert_announced(wizard, run, found)

    def test_privacy_lookup_finds_nothing_after_a_purge(self):
        self._assert_nothing_found(lambda: self._request("purge"))

    def test_privacy_lookup_finds_nothing_after_an_export(self):
        self._assert_nothing_found(lambda: self._request("export"))

    def test_privacy_lookup_finds_nothing_after_the_erasure(self):
        manager = self._manager("dp_apps_eraser")
        wizard = (
            self.env["dataprotect.erasure.wizard"]
            .with_user(manager)
            .create({"partner_id": self.buyer.id})
        )
        found = self.env["dataprotect.planner"].plan_people(self.buyer)
        found.records("mail.message")

        def erase():
            run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
            self._assert_announced(wizard, run, found)

        self._assert_nothing_found(erase)

    def test_each_app_keeps_what_is_not_the_buyers(self):
        street = self.delivery.street
        self._run_cron()
        # the opportunity stays, anonymized, with its chatter
        self.assertTrue(self.lead.exists())
        self.assertFalse(self.lead.contact_name or self.lead.email_from)
        self.assertNotIn("Çelik", self.lead.name)
        for message in self.lead.message_ids:
            self.assertNotIn("Çelik", message.record_name or "")
            self.assertNotIn("Çelik", message.body or "")
        # what existed only for the person is gone
        self.assertFalse(self.contact.exists())
        self.assertFalse(self.visitor.exists())
        # the dropship order stays, without the address written out
        self.assertIn(self.order.name, self.dropship.origin)
        self.assertNotIn(street, self.dropship.notes)
        # the webshop customer's records are untouched
        self.assertEqual(self.other_lead.contact_name, self.other.name)
        self.assertTrue(self.other_contact.exists())
        run = self._last_run()
        lines = {line.model: line for line in run.line_ids}
        self.assertEqual(lines["crm.lead"].anonymized_count, 1)
        self.assertEqual(lines["mailing.contact"].anonymized_count, 1)

    def test_an_open_opportunity_of_the_seller_keeps_the_partner(self):
        """The shared-partner rule in other apps: an opportunity linked to the
        marketplace order goes with it (the tests above); an open one of the
        seller's own, not linked to a marketplace order, keeps the partner."""
        buyer = self._buyer("Offen")
        order = self._order(buyer, shipped_days_ago=45)
        lead = self._lead(buyer)
        self._run_cron()
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Erika Offen Mustermann")
        self.assertEqual(lead.contact_name, "Erika Offen Mustermann")
        lines = {line.model: line for line in self._last_run().line_ids}
        self.assertEqual(lines["res.partner"].skipped_count, 1)
        # won, it no longer keeps the partner
        lead.action_set_won()
        order2 = self._order(buyer, shipped_days_ago=45)
        self._run_cron()
        self.assertTrue(order2.dataprotect_anonymized_at)
        self.assertFalse(buyer.email)
        self.assertFalse(lead.contact_name)
