from odoo.tests import tagged

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestHostileInput(DataprotectCase):
    def test_odd_buyer_data_is_anonymized(self):
        odd = {
            "name": "Robert'); DROP TABLE res_partner;-- <b>&amp;</b> \\1 $& 🎁 مرحبا "
            + "x" * 10000,
            "street": "Stra\u00dfe 1 <script>alert(1)</script> (.*)+[a-z]{2}",
            "street2": "\u202eevil\u202c ^$|\\\\",
            "email": "erika+amazon.tag@example.de",
            "phone": "+49 (0) 221 / 12-34-56",
            "vat": "DE 123 456 789",
        }
        buyer = self._buyer("Odd", **odd)
        order = self._order(buyer, shipped_days_ago=40)
        order.message_post(body=f"<p>{odd['name']} {odd['street']} {odd['email']}</p>")
        self._run_cron()
        self.assertEqual(self._last_run().state, "done")
        self.assertEqual(buyer.name, "Anonymized")
        values = [
            odd["name"][:60],
            "DROP TABLE res_partner",
            "erika+amazon.tag@example.de",
            "<script>alert(1)</script>",
            "\u202eevil\u202c",
            "DE 123 456 789",
        ]
        for value in values:
            self.assertEqual(self._scan_database([value]), set(), value[:40])

    def test_placeholder_with_markup_is_stored_as_text(self):
        self.marketplace.placeholder = "<b>{{ object.name }}</b> & \\1"
        buyer = self._buyer("Markup")
        order = self._order(buyer, shipped_days_ago=40)
        order.message_post(body=f"<p>Hello {buyer.name}</p>")
        self._run_cron()
        self.assertEqual(buyer.name, "<b>{{ object.name }}</b> & \\1")
        message = order.message_ids.filtered(lambda m: "Hello" in str(m.body))
        self.assertIn(
            "&lt;b&gt;{{ object.name }}&lt;/b&gt; &amp; \\1", str(message.body)
        )
