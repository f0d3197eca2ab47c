from odoo.tests import tagged

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestDueRule(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipped_31 = cls._order(cls._buyer("Due31"), shipped_days_ago=31)
        cls.shipped_29 = cls._order(cls._buyer("Due29"), shipped_days_ago=29)
        cls.partial = cls._order(
            cls._buyer("Partial"), shipped_days_ago=40, deliver="partial"
        )
        cls.cancelled_31 = cls._cancelled_order(cls._buyer("Cancel31"), 31)
        cls.cancelled_29 = cls._cancelled_order(cls._buyer("Cancel29"), 29)
        cls.service_only = cls._order(
            cls._buyer("Service"), shipped_days_ago=60, products=cls.service
        )
        cls.webshop = cls._order(
            cls._buyer("Webshop"), shipped_days_ago=60, team=cls.shop_team
        )
        cls.quotation = cls.env["sale.order"].create(
            {
                "partner_id": cls._buyer("Quote").id,
                "team_id": cls.amazon_team.id,
            }
        )

    def test_due_orders_are_exactly_the_expired_ones(self):
        with self._frozen():
            due = self.env["sale.order"].search([("dataprotect_due", "=", True)])
        self.assertEqual(due, self.shipped_31 | self.cancelled_31)

    def test_job_anonymizes_due_orders_only(self):
        self._run_cron()
        anonymized = self.env["sale.order"].search(
            [("dataprotect_anonymized_at", "!=", False)]
        )
        self.assertEqual(anonymized, self.shipped_31 | self.cancelled_31)
        self.assertEqual(self.shipped_31.partner_id.name, "Anonymized")
        self.assertEqual(self.cancelled_31.partner_id.name, "Anonymized")
        for order in (
            self.shipped_29,
            self.partial,
            self.cancelled_29,
            self.service_only,
            self.webshop,
            self.quotation,
        ):
            self.assertFalse(order.dataprotect_anonymized_at)
            self.assertIn("Mustermann", order.partner_id.name)
        run = self._last_run()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.order_count, 2)

    def test_partial_delivery_becomes_due_when_the_rest_has_shipped(self):
        with self._frozen():
            self._ship(self.partial)  # the backorder ships at NOW
        self._run_cron()
        self.assertFalse(self.partial.dataprotect_anonymized_at)
        self._run_cron(now=self._days_later(31))
        self.assertTrue(self.partial.dataprotect_anonymized_at)

    def test_due_count_on_marketplace(self):
        with self._frozen():
            self.assertEqual(self.marketplace.due_order_count, 2)
