"""Partners as Odoo lets them be: without a name, a company with many buyer
contacts, archived, merged into another partner."""

from unittest.mock import patch

from markupsafe import Markup

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.dataprotect import tools

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestOddPartners(DataprotectCase):
    def test_delivery_address_without_name(self):
        buyer = self._buyer("Nameless")
        delivery = self.env["res.partner"].create(
            {
                "parent_id": buyer.id,
                "type": "delivery",
                "name": False,
                "street": "Ohnenamenweg 12",
                "zip": "20095",
                "city": "Hamburg",
                "phone": "+49 40 5550123",
            }
        )
        self.assertFalse(delivery.name)
        order = self._order(buyer, shipped_days_ago=40)
        order.partner_shipping_id = delivery
        self.assertEqual(order.picking_ids.partner_id, delivery)
        self._run_cron()
        self.assertEqual(self._last_run().state, "done")
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertTrue(delivery.dataprotect_anonymized_at)
        self.assertFalse(delivery.street)
        self.assertFalse(delivery.phone)
        self.assertEqual((delivery.zip, delivery.city), ("20095", "Hamburg"))
        self.assertEqual(
            self._scan_database(["Ohnenamenweg 12", "+49 40 5550123"]), set()
        )

    def test_company_with_many_buyer_contacts(self):
        """Each contact goes with its own order; the company (a buyer itself)
        is kept while one of its contacts is still needed, and goes with that
        contact's order."""
        company = self.env["res.partner"].create(
            {
                "name": "Knorz Handels GmbH",
                "is_company": True,
                "street": "Industriestrasse 5",
                "zip": "50667",
                "city": "Koeln",
                "vat": "DE811907980",
                "email": "einkauf@knorz-handel.example.de",
            }
        )
        contacts = self.env["res.partner"].create(
            [
                {
                    "parent_id": company.id,
                    "type": "contact",
                    "name": f"Kontakt{i:02d} Knorz",
                    "email": f"kontakt{i:02d}@knorz-handel.example.de",
                    "phone": f"+49 221 77{i:02d}01",
                }
                for i in range(30)
            ]
        )
        emails = contacts[:29].mapped("email")
        orders = self.env["sale.order"]
        for contact in contacts[:29]:
            orders |= self._order(contact, shipped_days_ago=40)
        last = self._order(contacts[29], shipped_days_ago=10)
        own = self._order(company, shipped_days_ago=40)
        self._run_cron()
        run = self._last_run()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.order_count, 30)
        self.assertTrue(all(orders.mapped("dataprotect_anonymized_at")))
        self.assertTrue(own.dataprotect_anonymized_at)
        for contact in contacts[:29]:
            self.assertEqual(contact.name, "Anonymized")
            self.assertFalse(contact.email)
            self.assertFalse(contact.phone)
        self.assertEqual(
            self._scan_database(emails + ["Kontakt03 Knorz", "+49 221 770301"]),
            set(),
        )
        # the company and the contact with the recent order are kept
        self.assertEqual(contacts[29].name, "Kontakt29 Knorz")
        self.assertEqual(company.name, "Knorz Handels GmbH")
        self.assertEqual(company.street, "Industriestrasse 5")
        self.assertEqual(run.skipped_count, 2)
        # the last contact's order takes the company with it
        self._run_cron(now=self._days_later(21))
        self.assertTrue(last.dataprotect_anonymized_at)
        self.assertEqual(contacts[29].name, "Anonymized")
        self.assertEqual(company.name, "Anonymized")
        self.assertFalse(company.street)
        self.assertFalse(company.vat)
        self.assertEqual(
            self._scan_database(
                [
                    "Knorz Handels GmbH",
                    "Industriestrasse 5",
                    "DE811907980",
                    "knorz-handel.example.de",
                ]
            ),
            set(),
        )

    def test_contacts_of_a_company_that_never_bought(self):
        """A company that no marketplace document points at is not a buyer:
        its contacts go with their orders, the company stays."""
        company = self.env["res.partner"].create(
            {"name": "Wumme Werke AG", "is_company": True, "street": "Werkstr 1"}
        )
        contact = self.env["res.partner"].create(
            {"parent_id": company.id, "name": "Ida Wumme", "email": "ida@wumme.de"}
        )
        order = self._order(contact, shipped_days_ago=40)
        self._run_cron()
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertEqual(contact.name, "Anonymized")
        self.assertEqual(company.name, "Wumme Werke AG")
        self.assertEqual(self._scan_database(["ida@wumme.de", "Ida Wumme"]), set())

    def test_names_computed_for_each_kind_of_partner(self):
        """The names Odoo computes (commercial company name, complete name,
        normalized e-mail and phone) of partners anonymized together: each as
        Odoo computes it for its kind, a buyer, its delivery address, a
        business buyer (a company) and its delivery address, a contact of a
        company that stays (its name kept in the contact's)."""
        buyer = self._buyer("Kinds")
        delivery = buyer.child_ids.filtered(lambda p: p.type == "delivery")
        business = self._buyer("Firma", is_company=True)
        business_delivery = business.child_ids.filtered(lambda p: p.type == "delivery")
        companies = self.env["res.partner"].create(
            [
                {"name": "Wumme Werke AG", "is_company": True},
                {"name": "Öztürk Ticaret A.Ş.", "is_company": True},
            ]
        )
        contacts = self.env["res.partner"].create(
            [
                {
                    "parent_id": company.id,
                    "name": name,
                    "email": f"{name.split()[0].lower()}@example.com",
                    "phone": "+49 40 5550199",
                }
                for company, name in zip(
                    companies, ("Ida Wumme", "Ilkay Yilmaz"), strict=True
                )
            ]
        )
        orders = self._order(buyer, shipped_days_ago=40)
        orders |= self._order(business, shipped_days_ago=40)
        orders |= self._order(contacts[0], shipped_days_ago=40)
        orders |= self._order(contacts[1], shipped_days_ago=40)
        self._run_cron()
        self.assertEqual(self._last_run().state, "done")
        self.assertTrue(all(orders.mapped("dataprotect_anonymized_at")))
        self.assertEqual(
            (buyer | delivery | contacts).mapped("complete_name"),
            [
                "Anonymized",
                "Anonymized, Anonymized",
                "Wumme Werke AG, Anonymized",
                "Öztürk Ticaret A.Ş., Anonymized",
            ],
        )
        # a company's own name is its commercial company name, a person's
        # company name (none) theirs
        self.assertEqual(
            (buyer | delivery | business | business_delivery).mapped(
                "commercial_company_name"
            ),
            [False, False, "Anonymized", "Anonymized"],
        )
        self.assertEqual(
            (business | business_delivery).mapped("complete_name"),
            ["Anonymized", "Anonymized, Anonymized"],
        )
        for partner in buyer | delivery | business | contacts:
            self.assertFalse(partner.email_normalized)
            self.assertFalse(partner.phone_sanitized)
        self.assertEqual(companies.mapped("complete_name"), companies.mapped("name"))

    def test_archived_buyer(self):
        buyer = self._buyer("Archived")
        values = self._personal_values(buyer)
        order = self._order(buyer, shipped_days_ago=40)
        (buyer | buyer.child_ids).action_archive()
        self._run_cron()
        self.assertEqual(self._last_run().state, "done")
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertEqual(order.partner_id, buyer)
        self.assertEqual(buyer.name, "Anonymized")
        self.assertFalse(buyer.active)
        self.assertEqual(self._scan_database(values), set())

    def _merge(self, source, destination):
        wizard = self.env["base.partner.merge.automatic.wizard"]
        wizard._merge((source | destination).ids, destination)
        self.env.invalidate_all()
        self.assertFalse(source.exists())

    def test_merged_buyer(self):
        """The order of a merged buyer points at the destination, which goes
        with it; so do the merged buyer's values that the merge copied into
        the destination's chatter."""
        source = self._buyer("MergedAway")
        destination = self._buyer("Survivor")
        source.write({"email": "merged.away@example.de", "phone": "+49 89 1234001"})
        values = self._personal_values(source) + self._personal_values(destination)
        order = self._order(source, shipped_days_ago=40)
        other = self._order(destination, shipped_days_ago=45)
        self._merge(source, destination)
        self.assertEqual(order.partner_id, destination)
        chatter = " ".join(str(m.body) for m in destination.message_ids)
        self.assertIn("merged.away@example.de", chatter)
        self._run_cron()
        self.assertEqual(self._last_run().state, "done")
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertTrue(other.dataprotect_anonymized_at)
        self.assertEqual(destination.name, "Anonymized")
        self.assertEqual(self._scan_database(values), set())

    def test_merged_into_a_partner_of_another_channel(self):
        """The destination has a webshop order: it is kept, as the rules say,
        and the marketplace order is anonymized on its own."""
        source = self._buyer("MergedShop")
        destination = self._buyer("ShopSurvivor")
        order = self._order(source, shipped_days_ago=40)
        webshop = self._order(destination, shipped_days_ago=40, team=self.shop_team)
        self._merge(source, destination)
        self._run_cron()
        run = self._last_run()
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertFalse(order.note)
        self.assertFalse(webshop.dataprotect_anonymized_at)
        self.assertEqual(destination.name, "Erika ShopSurvivor Mustermann")
        self.assertTrue(destination.email)
        self.assertGreaterEqual(run.skipped_count, 1)

    def test_anonymized_partner_merged_into_a_buyer(self):
        """Merging copies every value, the anonymization marker too: the
        surviving buyer still has personal data and is anonymized in turn."""
        anonymized = self._buyer("Gone")
        self._order(anonymized, shipped_days_ago=60)
        self._run_cron()
        self.assertTrue(anonymized.dataprotect_anonymized_at)
        buyer = self._buyer("Alive", child_ids=[Command.clear()])
        values = self._personal_values(buyer)
        order = self._order(buyer, shipped_days_ago=40)
        self._merge(anonymized, buyer)
        self.assertFalse(buyer.dataprotect_anonymized_at)
        self._run_cron()
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Anonymized")
        self.assertEqual(self._scan_database(values), set())

    def test_employee_who_bought_with_the_work_address(self):
        """A salesman who bought on the marketplace with his work e-mail: the
        buyer is anonymized; the seller's own records that show the address
        through his user (his sales team membership, his working-time
        resource) stay his, with his name."""
        buyer = self._buyer("Kollege", name="Jonas Kollege Weiß")
        user = new_test_user(
            self.env,
            login="jonas.weiss",
            name="Jonas Kollege Weiß",
            email=buyer.email,
            groups="sales_team.group_sale_salesman",
        )
        member = self.env["crm.team.member"].create(
            {"crm_team_id": self.shop_team.id, "user_id": user.id}
        )
        resource = (
            self.env["resource.resource"]
            .sudo()
            .create({"name": "Jonas Kollege Weiß", "user_id": user.id})
        )
        self.assertEqual((member.email, resource.email), (buyer.email,) * 2)
        order = self._order(buyer, shipped_days_ago=40)
        self._run_cron()
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertFalse(buyer.email)
        self.assertEqual(resource.name, "Jonas Kollege Weiß")
        self.assertEqual(user.email, member.email)
        self.assertEqual(user.partner_id.name, "Jonas Kollege Weiß")
        models_ = set(self._last_run().line_ids.mapped("model"))
        self.assertFalse(models_ & {"crm.team.member", "resource.resource"})

    def test_barcode_given_in_another_company(self):
        """A partner's barcode is stored per company: the one the second
        company gave the buyer is found in a note too, though the job runs in
        the first company, and both are cleared."""
        second = self.env["res.company"].create({"name": "Zweitlager GmbH"})
        buyer = self._buyer("Karte")
        buyer.barcode = "KK-1000-2026"
        buyer.with_company(second).barcode = "KK-4711-8815"
        order = self._order(buyer, shipped_days_ago=40)
        # as Odoo's editor stores a note: a non-breaking space before it
        order.message_post(
            body=Markup("<p>Kundenkarte&nbsp;KK-4711-8815 an der Kasse gezeigt</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self._run_cron()
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertFalse(buyer.barcode)
        self.assertFalse(buyer.with_company(second).barcode)
        self.assertIn("an der Kasse gezeigt", order.message_ids[0].body)
        self.assertEqual(self._scan_database(["KK-1000-2026", "KK-4711-8815"]), set())

    def test_family_walks_by_lookup_and_by_scan(self):
        """A partner's child contacts and tagged ancestors come out the same
        whether each id is looked up (a batch) or the table is read whole (a
        preview of the whole backlog)."""
        company = self.env["res.partner"].create(
            {"name": "Gruen GmbH", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Greta Gruen", "parent_id": company.id}
        )
        delivery = self.env["res.partner"].create(
            {"type": "delivery", "parent_id": contact.id, "street": "Weg 1"}
        )
        (company | contact).dataprotect_marketplace_id = self.marketplace
        archived = self.env["res.partner"].create(
            {"name": "Old Desk", "parent_id": company.id, "active": False}
        )
        for limit in (tools.LOOKUP_EACH_MAX, 0):
            with patch.object(tools, "LOOKUP_EACH_MAX", limit):
                self.assertEqual(
                    company._dataprotect_with_descendants(),
                    company | contact | delivery | archived,
                )
                self.assertEqual(
                    delivery._dataprotect_marketplace_ancestors(), company | contact
                )
                company.dataprotect_anonymized_at = "2026-01-01 00:00:00"
                self.assertEqual(delivery._dataprotect_marketplace_ancestors(), contact)
                company.dataprotect_anonymized_at = False
