from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.dataprotect.models.sale_order import RETENTION_START

from .common import NOW, DataprotectCase


@tagged("post_install", "-at_install")
class TestRetentionStart(DataprotectCase):
    """The start of an order's retention period is stored on the order, so
    that the due orders are found through an index at any database size. It
    follows the deliveries as the ORM changes them, and where the addon
    comes to a database that already holds orders, SQL fills in the same
    values as the ORM computes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        buyer = cls._buyer("Start", name="Jürgen Groß")
        cls.shipped = cls._order(buyer, shipped_days_ago=40)
        cls.partial = cls._order(buyer, shipped_days_ago=40, deliver="partial")
        cls.unshipped = cls._order(buyer, deliver=False)
        cls.cancelled = cls._cancelled_order(buyer, cancelled_days_ago=35)

    def _stored(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT so.id, so.dataprotect_retention_start, %s"
                " FROM sale_order so ORDER BY so.id",
                RETENTION_START,
            )
        )
        return self.env.cr.fetchall()

    def test_the_start_follows_the_deliveries(self):
        self.assertEqual(
            self.shipped.dataprotect_retention_start,
            self.shipped.picking_ids.date_done,
        )
        self.assertEqual(
            self.shipped.dataprotect_retention_start.date(),
            (NOW - timedelta(days=40)).date(),
        )
        self.assertFalse(self.partial.dataprotect_retention_start)
        self.assertFalse(self.unshipped.dataprotect_retention_start)
        self.assertEqual(
            self.cancelled.dataprotect_retention_start,
            self.cancelled.dataprotect_cancel_date,
        )
        # the backorder shipped 3 days later: the period starts with it
        with self._frozen(self._days_later(-37)):
            backorder = self._ship(self.partial)
        self.assertEqual(self.partial.dataprotect_retention_start, backorder.date_done)
        self.assertEqual(
            self.partial.dataprotect_retention_start.date(),
            (NOW - timedelta(days=37)).date(),
        )
        # only the shipped order and the cancelled one are due (after 30 days);
        # the partly shipped one is, 37 days after its backorder
        with self._frozen():
            due = self.env["sale.order"].search([("dataprotect_due", "=", True)])
        self.assertEqual(due, self.shipped | self.partial | self.cancelled)
        # every order of the database: the stored start is the one SQL gives
        for order_id, stored, computed in self._stored():
            self.assertEqual(stored, computed, f"order {order_id}")

    def test_filled_in_sql_where_the_column_is_new(self):
        expected = self._stored()
        self.assertTrue([row for row in expected if row[1]])
        cr = self.env.cr
        cr.execute("ALTER TABLE sale_order DROP COLUMN dataprotect_retention_start")
        self.env["sale.order"]._dataprotect_add_retention_start()
        self.env["sale.order"].init()
        self.env.invalidate_all()
        self.assertEqual(self._stored(), expected)
        cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ("sale_order_dataprotect_due_idx",),
        )
        self.assertIn("dataprotect_anonymized_at IS NULL", cr.fetchone()[0])
