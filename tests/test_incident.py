"""The incident report: the orders whose buyers' data was held when an
incident began, at moments before, between and after two orders'
anonymization; no personal data in it."""

import base64
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import NOW, DataprotectCase


@tagged("post_install", "-at_install")
class TestIncident(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_incident")
        cls.buyer_a = cls._buyer("Früh")
        cls.buyer_b = cls._buyer("Spät")
        # A is due at NOW, B 20 days later
        cls.order_a = cls._order(cls.buyer_a, shipped_days_ago=40)
        cls.order_b = cls._order(
            cls.buyer_b, shipped_days_ago=10, reference="302-7777777-1111111"
        )

    def _report(self, moment):
        wizard = (
            self.env["dataprotect.incident.wizard"]
            .with_user(self.manager)
            .create({"marketplace_id": self.marketplace.id, "moment": moment})
        )
        return wizard

    def test_orders_held_at_the_incidents_start(self):
        self._run_cron()
        self._run_cron(self._days_later(25))
        self.assertEqual(self.order_a.dataprotect_anonymized_at, NOW)
        self.assertTrue(self.order_b.dataprotect_anonymized_at)
        cases = {
            "before B was ordered": (NOW - timedelta(days=20), self.order_a),
            "before A's anonymization": (
                NOW - timedelta(hours=1),
                self.order_a | self.order_b,
            ),
            "between the two": (NOW + timedelta(days=1), self.order_b),
            "after both": (NOW + timedelta(days=30), self.env["sale.order"]),
        }
        for case, (moment, expected) in cases.items():
            with self.subTest(case=case):
                report = self._report(moment)
                self.assertEqual(report.order_ids, expected)
                self.assertEqual(report.order_count, len(expected))
                self.assertEqual(report.picking_count, len(expected.picking_ids))
                self.assertEqual(report.invoice_count, len(expected.invoice_ids))

    def test_the_form_shows_the_orders_before_saving(self):
        form = Form(self.env["dataprotect.incident.wizard"].with_user(self.manager))
        self.assertEqual(form.marketplace_id, self.marketplace)
        form.moment = NOW - timedelta(days=20)
        self.assertEqual(form.order_count, 1)
        form.moment = NOW
        self.assertEqual(form.order_count, 2)

    def test_the_csv_holds_no_personal_data(self):
        values = self._personal_values(self.buyer_a) + self._personal_values(
            self.buyer_b
        )
        report = self._report(NOW - timedelta(hours=1))
        action = report.action_download_csv()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        text = base64.b64decode(attachment.datas).decode("utf-8-sig")
        lines = text.splitlines()
        self.assertEqual(len(lines), 3)
        for order in self.order_a | self.order_b:
            self.assertIn(f"Amazon,{order.name},{order.client_order_ref}", text)
        for value in values:
            self.assertNotIn(value.lower(), text.lower())

    def test_for_managers_only(self):
        salesman = new_test_user(
            self.env, login="dp_incident_sales", groups="sales_team.group_sale_salesman"
        )
        with self.assertRaises(AccessError):
            self.env["dataprotect.incident.wizard"].with_user(salesman).create(
                {"marketplace_id": self.marketplace.id, "moment": NOW}
            )
