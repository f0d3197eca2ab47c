from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import NOW, DataprotectCase

# a 1x1 pixel photo of the buyer
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

# The personal partner fields of the map that the job must clear.
CLEARED = (
    "image_1920",
    "title",
    "street",
    "street2",
    "phone",
    "mobile",
    "email",
    "vat",
    "website",
    "function",
    "ref",
    "comment",
    "company_registry",
    "email_normalized",
    "phone_sanitized",
)


@tagged("post_install", "-at_install")
class TestAnonymize(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        attribute = cls.env["product.attribute"].create(
            {
                "name": "Gift message",
                "create_variant": "no_variant",
                "value_ids": [Command.create({"name": "Custom", "is_custom": True})],
            }
        )
        cls.gift_template = cls.env["product.template"].create(
            {
                "name": "Gift Box",
                "type": "consu",
                "invoice_policy": "order",
                "attribute_line_ids": [
                    Command.create(
                        {
                            "attribute_id": attribute.id,
                            "value_ids": [Command.set(attribute.value_ids.ids)],
                        }
                    )
                ],
            }
        )
        cls.ptav_custom = (
            cls.gift_template.attribute_line_ids.product_template_value_ids
        )

        cls.buyer = cls._buyer(
            "Alpha",
            title=cls.env.ref("base.res_partner_title_madam").id,
            image_1920=PNG,
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "parent_id": cls.buyer.id,
                "type": "contact",
                "name": "Hans Alpha Nachbar",
                "email": "hans.alpha@example.de",
            }
        )
        cls.values = cls._personal_values(cls.buyer) + [
            cls.contact.name,
            cls.contact.email,
        ]
        with freeze_time(NOW.replace(month=9)):
            # a change of the buyer with tracking on (the tests' environment
            # has it off): old values are tracked
            tracked = cls.buyer.with_context(tracking_disable=False, mail_notrack=False)
            cls.env.cr.flush()
            tracked.write(
                {"phone": "+49 221 7770001", "email": "erika.alpha.old@example.de"}
            )
            cls.env.cr.flush()
            tracked.write({"phone": cls._personal_values(cls.buyer)[4]})
            cls.env.cr.flush()
        cls.values += ["+49 221 7770001", "erika.alpha.old@example.de"]
        cls.order = cls._order(
            cls.buyer,
            shipped_days_ago=31,
            extra_lines=[
                {
                    "product_id": cls.gift_template.product_variant_id.id,
                    "product_custom_attribute_value_ids": [
                        Command.create(
                            {
                                "custom_product_template_attribute_value_id": (
                                    cls.ptav_custom.id
                                ),
                                "custom_value": "Happy birthday dear Alpha-Oma",
                            }
                        )
                    ],
                    "product_no_variant_attribute_value_ids": [
                        Command.set(cls.ptav_custom.ids)
                    ],
                    "product_uom_qty": 1,
                }
            ],
        )
        cls.values.append("Happy birthday dear Alpha-Oma")
        cls.order.message_post(
            body=f"<p>Ship to {cls.buyer.name}, {cls.buyer.street}, "
            f"{cls.buyer.phone}</p>",
            subject=f"Order for {cls.buyer.name}",
        )
        cls.order.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=f"Call {cls.buyer.name} at {cls.buyer.mobile}",
            note=f"<p>{cls.buyer.email}</p>",
        )
        cls.env["mail.mail"].create(
            {
                "subject": "Your order",
                "body_html": f"<p>Dear {cls.buyer.name}</p>",
                "email_to": cls.buyer.email,
                "model": "sale.order",
                "res_id": cls.order.id,
                "state": "exception",
            }
        )
        cls.order.picking_ids.write(
            {"note": f"<p>Ring twice, {cls.buyer.child_ids[0].name}</p>"}
        )
        cls.invoice = cls.order.invoice_ids
        cls.invoice.narration = f"<p>Thank you {cls.buyer.name}</p>"
        cls.env["ir.attachment"].create(
            {
                "name": "order.pdf",
                "res_model": "sale.order",
                "res_id": cls.order.id,
                "raw": cls.buyer.name.encode(),
                "mimetype": "application/pdf",
            }
        )
        # the invoice PDF, stored as Odoo stores it when the invoice is sent
        # (account.move.send), and a letter of the buyer e-mailed to the invoice
        cls.invoice_pdf = cls.env["ir.attachment"].create(
            {
                "name": "INV_2024_00001.pdf",
                "res_model": "account.move",
                "res_id": cls.invoice.id,
                "res_field": "invoice_pdf_report_file",
                "raw": b"%PDF-1.4 retained invoice",
                "mimetype": "application/pdf",
            }
        )
        cls.letter = cls.env["ir.attachment"].create(
            {
                "name": f"{cls.buyer.name} Widerruf.pdf",
                "res_model": "account.move",
                "res_id": cls.invoice.id,
                "raw": b"%PDF-1.4 Widerruf",
                "mimetype": "application/pdf",
            }
        )

        cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.buyer.id,
                "acc_number": "DE89 3704 0044 0532 0130 00",
                "acc_holder_name": "Erika Alpha Kontoinhaberin",
            }
        )
        cls.values += [
            "DE89 3704 0044 0532 0130 00",
            "DE89370400440532013000",
            "Erika Alpha Kontoinhaberin",
        ]
        provider = cls.env["payment.provider"].create(
            {"name": "Amazon Pay", "code": "none"}
        )
        cls.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": cls.env.ref("payment.payment_method_unknown").id,
                "reference": "AMZ-TX-1",
                "amount": 10.0,
                "currency_id": cls.order.currency_id.id,
                "partner_id": cls.buyer.id,
                "sale_order_ids": [Command.set(cls.order.ids)],
            }
        )

        cls.bystander = cls._buyer("Bystander")
        cls.bystander_order = cls._order(
            cls.bystander, shipped_days_ago=31, team=cls.shop_team
        )
        cls.recent = cls._buyer("Recent")
        cls.recent_order = cls._order(cls.recent, shipped_days_ago=29)
        cls.tracking_before = cls.env["mail.tracking.value"].search_count([])

    def test_partners_anonymized_in_place_zip_and_city_kept(self):
        self._run_cron()
        partners = self.buyer | self.buyer.child_ids
        self.assertEqual(len(partners), 4)
        for partner in partners:
            self.assertEqual(partner.name, "Anonymized")
            for fname in CLEARED:
                self.assertFalse(partner[fname], f"{fname} of {partner.type} kept")
            self.assertTrue(partner.dataprotect_anonymized_at)
        self.assertEqual(self.buyer.zip, "51147")
        self.assertEqual(self.buyer.city, "Koeln")
        self.assertEqual(self.buyer.country_id, self.germany)
        delivery = self.buyer.child_ids.filtered(lambda c: c.type == "delivery")
        self.assertEqual((delivery.zip, delivery.city), ("10115", "Berlin"))
        # the documents still point at the same partners
        self.assertEqual(self.order.partner_id, self.buyer)
        self.assertEqual(self.invoice.partner_id, self.order.partner_invoice_id)
        self.assertEqual(
            self.invoice.invoice_partner_display_name, "Anonymized, Anonymized"
        )

    def test_documents_anonymized(self):
        self._run_cron()
        order, picking, invoice = self.order, self.order.picking_ids, self.invoice
        for records in (order, picking, invoice):
            self.assertEqual(records.dataprotect_anonymized_at, NOW)
        self.assertFalse(order.note)
        self.assertEqual(
            order.client_order_ref, "302-1234567-7654321"
        )  # a reference, kept
        self.assertFalse(picking.note)
        self.assertFalse(invoice.narration)
        gift_line = order.order_line.filtered(
            lambda line: line.product_id == self.gift_template.product_variant_id
        )
        self.assertNotIn("Alpha-Oma", gift_line.name)
        self.assertIn("Gift Box", gift_line.name)
        self.assertFalse(gift_line.product_custom_attribute_value_ids.custom_value)
        self.assertEqual(self.order.amount_total, order.amount_total)
        # order confirmation PDFs go, the invoice PDF stays (tax law), the
        # buyer's letter on the invoice goes
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
            )
        )
        self.assertEqual(self.invoice.invoice_pdf_report_id, self.invoice_pdf)
        self.assertTrue(self.invoice_pdf.exists())
        self.assertFalse(self.letter.exists())

    def test_chatter_holds_no_personal_data(self):
        # the buyer's tracked changes were planted (their earlier values)
        self.assertIn(
            "erika.alpha+amazon@example.de",
            self.buyer.sudo().message_ids.tracking_value_ids.mapped("old_value_char"),
        )
        self._run_cron()
        messages = self.env["mail.message"].search(
            [
                (
                    "model",
                    "in",
                    ("sale.order", "stock.picking", "account.move", "res.partner"),
                ),
                (
                    "res_id",
                    "in",
                    self.order.ids
                    + self.order.picking_ids.ids
                    + self.invoice.ids
                    + (self.buyer | self.buyer.child_ids).ids,
                ),
            ]
        )
        self.assertTrue(messages)
        texts = []
        for message in messages:
            texts += [
                str(message.body),
                message.subject or "",
                message.record_name or "",
                message.email_from or "",
            ]
            for tracking in message.sudo().tracking_value_ids:
                texts += [
                    tracking.old_value_char or "",
                    tracking.new_value_char or "",
                    tracking.old_value_text or "",
                    tracking.new_value_text or "",
                ]
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", self.order.id)]
        )
        texts += [activity.summary, str(activity.note), activity.res_name]
        mail = self.env["mail.mail"].search(
            [("model", "=", "sale.order"), ("res_id", "=", self.order.id)]
        )
        texts += [mail.body_html, mail.email_to]
        blob = "\n".join(texts).lower()
        for value in self.values:
            self.assertNotIn(value.lower(), blob)
        self.assertIn("anonymized", blob)

    def test_anonymizing_creates_no_tracking_values(self):
        self._run_cron()
        self.assertEqual(
            self.env["mail.tracking.value"].search_count([]), self.tracking_before
        )

    def test_whole_database_holds_no_personal_data_of_anonymized_buyers(self):
        bystander_values = self._personal_values(self.bystander)
        recent_values = self._personal_values(self.recent)
        self.assertTrue(self._scan_database(self.values))
        self._run_cron()
        self.assertEqual(self._scan_database(self.values), set())
        # the others are untouched
        self.assertIn(("res_partner", "street"), self._scan_database(bystander_values))
        self.assertIn(("res_partner", "email"), self._scan_database(recent_values))
        self.assertFalse(self.bystander_order.dataprotect_anonymized_at)
        self.assertFalse(self.recent_order.dataprotect_anonymized_at)
        self.assertIn("Bystander", self.bystander.name)

    def test_gift_message_field(self):
        """A configured gift message field of the order lines is cleared, and
        its text is removed from the line descriptions."""
        self._gift_message_field()
        line = self.order.order_line[0]
        line.write(
            {
                "x_gift_message": "Love from Aunt Alpha-Berta",
                "name": "Tea Pot\nLove from Aunt Alpha-Berta",
            }
        )
        self._run_cron()
        self.assertFalse(line.x_gift_message)
        self.assertEqual(line.name, "Tea Pot\nAnonymized")

    def test_run_log_counts_without_personal_data(self):
        self._run_cron()
        run = self._last_run()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.marketplace_id, self.marketplace)
        self.assertEqual(run.order_count, 1)
        self.assertEqual(run.partner_count, 4)
        self.assertEqual(run.skipped_count, 0)
        lines = {line.model: line for line in run.line_ids}
        self.assertEqual(lines["account.move"].anonymized_count, 1)
        self.assertEqual(lines["stock.picking"].anonymized_count, 1)
        self.assertGreaterEqual(lines["mail.message"].anonymized_count, 1)
        self.assertEqual(lines["ir.attachment"].exempted_count, 1)
        self.assertIn("invoice PDF", lines["ir.attachment"].exempted_reason)
        self.assertFalse(lines["stock.picking"].exempted_reason)
        run_text = str(run.read()) + str(run.line_ids.read())
        for value in self.values:
            self.assertNotIn(value, run_text)
