from markupsafe import Markup

from odoo.tests import tagged

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestSharedPartner(DataprotectCase):
    def test_repeat_buyer_waits_for_the_last_order(self):
        buyer = self._buyer("Repeat")
        old = self._order(buyer, shipped_days_ago=40)
        new = self._order(buyer, shipped_days_ago=10)
        self._run_cron()
        # the expired order's own data goes, the buyer stays for the newer order
        self.assertTrue(old.dataprotect_anonymized_at)
        self.assertFalse(old.note)
        self.assertFalse(new.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Erika Repeat Mustermann")
        self.assertTrue(buyer.email)
        run = self._last_run()
        self.assertEqual(run.partner_count, 0)
        self.assertEqual(run.skipped_count, 3)  # buyer, delivery and invoice address
        # once the newer order is due too, the buyer goes
        self._run_cron(now=self._days_later(21))
        self.assertTrue(new.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Anonymized")
        self.assertFalse(buyer.email)

    def test_two_due_orders_of_one_buyer_in_different_batches(self):
        self.env["ir.config_parameter"].set_param("dataprotect.batch_size", "1")
        buyer = self._buyer("Twice")
        first = self._order(buyer, shipped_days_ago=40)
        second = self._order(buyer, shipped_days_ago=35)
        self.assertEqual(self._run_cron_until_done(), 2)
        self.assertTrue(first.dataprotect_anonymized_at)
        self.assertTrue(second.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Anonymized")
        self.assertEqual(
            self.env["dataprotect.run"].search([]).mapped("skipped_count"), [0, 0]
        )

    def test_buyer_of_another_channel_is_kept(self):
        buyer = self._buyer("Channel")
        amazon = self._order(buyer, shipped_days_ago=60)
        webshop = self._order(buyer, shipped_days_ago=60, team=self.shop_team)
        self._run_cron()
        self.assertTrue(amazon.dataprotect_anonymized_at)
        self.assertFalse(webshop.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Erika Channel Mustermann")
        self.assertEqual(self._last_run().skipped_count, 3)

    def test_manual_invoice_keeps_the_partner(self):
        buyer = self._buyer("Manual")
        order = self._order(buyer, shipped_days_ago=60)
        self.init_invoice("out_invoice", partner=buyer, amounts=[10.0], post=True)
        self._run_cron()
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Erika Manual Mustermann")

    def test_shared_delivery_address_keeps_its_parent(self):
        """A delivery address used by a newer order keeps the buyer too: writing
        the buyer would propagate to its child contacts."""
        buyer = self._buyer("Parent")
        delivery = buyer.child_ids.filtered(lambda c: c.type == "delivery")
        other = self._buyer("Other")
        self._order(buyer, shipped_days_ago=60)
        recent = self._order(other, shipped_days_ago=5)
        recent.partner_shipping_id = delivery
        self._run_cron()
        self.assertEqual(delivery.name, "Max Parent Mustermann")
        self.assertEqual(buyer.name, "Erika Parent Mustermann")
        invoice_address = buyer.child_ids.filtered(lambda c: c.type == "invoice")
        self.assertEqual(invoice_address.name, "Anonymized")

    def test_a_kept_buyer_leaves_no_copy_in_the_anonymized_order(self):
        """The buyer is kept for a webshop order; the anonymized marketplace
        order keeps no copy of their values, in its texts or its chatter."""
        buyer = self._buyer("Kanal")
        amazon = self._order(buyer, shipped_days_ago=60)
        self._order(buyer, shipped_days_ago=60, team=self.shop_team)
        # as the chatter's editor posts them (HTML)
        amazon.message_post(
            body=Markup(
                f"<p>Rückfrage von {buyer.name} ({buyer.email}), Tel.&nbsp;"
                f"{buyer.phone}: bitte an <b>{buyer.street}</b> liefern</p>"
            )
        )
        picking = amazon.picking_ids
        picking.message_post(body=Markup(f"<p>Zugestellt an {buyer.name}</p>"))
        self._run_cron()
        self.assertTrue(amazon.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Erika Kanal Mustermann")
        values = self._personal_values(buyer)
        for record in (amazon, picking, amazon.invoice_ids):
            for message in record.message_ids:
                for value in values:
                    self.assertNotIn(value, str(message.body))
                    self.assertNotIn(value, message.record_name or "")
