from odoo.tests import TransactionCase, tagged

from .common import load_demo_data


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo data (dataprotect/demo/) tells the story of a fresh demo
    database: an Amazon sales team, orders shipped 45 and 10 days ago, one
    confirmed but not shipped, one webshop order."""

    def test_demo_data_tells_the_story(self):
        load_demo_data(self.env)
        ref = self.env.ref
        amazon = ref("dataprotect.marketplace_amazon")
        team = ref("dataprotect.demo_team_amazon")
        self.assertEqual(amazon.team_ids, team)
        old = ref("dataprotect.demo_order_shipped_45_days_ago")
        recent = ref("dataprotect.demo_order_shipped_10_days_ago")
        webshop = ref("dataprotect.demo_order_webshop")
        for order in old | recent | webshop:
            self.assertEqual(order.state, "sale")
            self.assertEqual(order.picking_ids.mapped("state"), ["done"])
            self.assertEqual(order.invoice_ids.mapped("state"), ["posted"])
        unshipped = ref("dataprotect.demo_order_unshipped")
        self.assertEqual(unshipped.state, "sale")
        self.assertEqual(unshipped.picking_ids.mapped("state"), ["assigned"])
        self.assertFalse(unshipped.invoice_ids)
        self.assertEqual(unshipped._dataprotect_open(), unshipped)
        self.assertFalse((old | recent | webshop)._dataprotect_open())
        self.assertEqual((old | recent | unshipped).dataprotect_marketplace_id, amazon)
        self.assertFalse(webshop.dataprotect_marketplace_id)
        due = self.env["sale.order"].search([("dataprotect_due", "=", True)])
        self.assertEqual(due, old)
        self.assertEqual(amazon.due_order_count, 1)
        self.assertTrue(old.dataprotect_due)
        self.assertFalse(recent.dataprotect_due)
        self.assertFalse(ref("dataprotect.ir_cron_dataprotect_anonymize").active)
