from odoo.tests import tagged

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestLegalExemptions(DataprotectCase):
    def test_hashed_invoice_lines_are_kept_and_counted(self):
        buyer = self._buyer("Hash")
        order = self._order(buyer, shipped_days_ago=40, invoice=False)
        line = order.order_line
        line.name = f"Tea Pot for {buyer.name}"
        invoice = order._create_invoices()
        invoice.action_post()
        invoice.button_hash()
        self.assertTrue(invoice.inalterable_hash)
        self._run_cron()
        self.assertTrue(invoice.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, "Anonymized")
        product_line = invoice.invoice_line_ids
        self.assertIn("Erika Hash Mustermann", product_line.name)
        # the hash chain is still intact
        report = invoice.company_id._check_hash_integrity()
        self.assertTrue(all(r["status"] != "corrupted" for r in report["results"]))
        lines = {line.model: line for line in self._last_run().line_ids}
        self.assertEqual(lines["account.move.line"].exempted_count, 1)

    def test_audit_trail_messages_are_kept_and_counted(self):
        self.env.company.check_account_audit_trail = True
        buyer = self._buyer("Audit")
        order = self._order(buyer, shipped_days_ago=40)
        invoice = order.invoice_ids
        invoice.message_post(body=f"<p>Sent to {buyer.email}</p>")
        order.message_post(body=f"<p>Sent to {buyer.email}</p>")
        self._run_cron()
        self.assertEqual(self._last_run().state, "done")
        self.assertEqual(buyer.name, "Anonymized")
        invoice_message = invoice.message_ids.filtered(
            lambda m: "Sent to" in str(m.body)
        )
        self.assertIn("erika.audit+amazon@example.de", str(invoice_message.body))
        order_message = order.message_ids.filtered(lambda m: "Sent to" in str(m.body))
        self.assertNotIn("erika.audit", str(order_message.body))
        lines = {line.model: line for line in self._last_run().line_ids}
        self.assertEqual(lines["mail.message"].exempted_count, 1)
        # tracking values of audited messages are not guarded: none holds the name
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "account.move"),
                    ("mail_message_id.res_id", "=", invoice.id),
                ]
            )
        )
        for tracking in trackings:
            self.assertNotIn("Mustermann", tracking.old_value_char or "")
