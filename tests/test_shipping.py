from unittest import SkipTest

from freezegun import freeze_time
from markupsafe import Markup

from odoo import Command
from odoo.tests import tagged

from .common import NOW, DataprotectCase


@tagged("post_install", "-at_install")
class TestShipping(DataprotectCase):
    """A marketplace order dropshipped by a vendor, and another one with a
    carrier's label on its delivery, planted as Odoo makes them: the dropship
    purchase order and its delivery come from the dropship route, and the
    label is posted on the delivery as Odoo's carrier connectors post it (a
    rendered PDF attached to a message). After the job, nothing of the buyer
    is left in the database or in any stored file; the vendor is kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "stock_dropshipping" not in cls.env.registry._init_modules:
            raise SkipTest("stock_dropshipping is not installed")
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Topf-Großhandel GmbH", "email": "einkauf@topf.example.de"}
        )
        cls.dropshipped = cls.env["product.product"].create(
            {
                "name": "Kupferkessel",
                "type": "consu",
                "list_price": 80.0,
                "invoice_policy": "order",
                "route_ids": [
                    Command.link(
                        cls.env.ref("stock_dropshipping.route_drop_shipping").id
                    )
                ],
                "seller_ids": [
                    Command.create({"partner_id": cls.vendor.id, "price": 40})
                ],
            }
        )
        cls.buyer = cls._buyer("Versand", name="Şükrü Öztürk Versand")
        cls.delivery = cls.buyer.child_ids.filtered(lambda c: c.type == "delivery")
        cls.order = cls._order(cls.buyer, shipped_days_ago=45)
        cls.dropship_order = cls._order(
            cls.buyer, products=cls.dropshipped, deliver=False, invoice=False
        )
        with freeze_time(cls._days_later(-44)):
            cls.purchase = cls.dropship_order._get_purchase_orders()
            cls.purchase.button_confirm()
            cls.dropship = cls.dropship_order.picking_ids
            cls._ship(cls.dropship_order)
            cls.dropship_order._create_invoices().action_post()
            cls.label = cls._post_label(cls.order.picking_ids, "DHL")
            cls.env.flush_all()
        cls.values = cls._personal_values(cls.buyer)

    @classmethod
    def _post_label(cls, picking, carrier):
        """The shipping label of ``picking``, as a carrier connector posts it
        (``send_shipping``: a message with the rendered label attached)."""
        address = picking.partner_id
        html = (
            f"<html><body><h1>{carrier}</h1><p>{address.name}<br/>"
            f"{address.street}<br/>{address.zip} {address.city}</p></body></html>"
        )
        label = cls.env["ir.actions.report"]._run_wkhtmltopdf([html])
        message = picking.message_post(
            body=Markup("Shipment created into %s <br/> <b>Tracking Number: </b>%s")
            % (carrier, "00340434161094042557"),
            attachments=[(f"Label{carrier}-00340434161094042557.pdf", label)],
        )
        return message.attachment_ids

    def test_dropship_and_labels_are_planted_as_odoo_makes_them(self):
        self.assertEqual(self.purchase.dest_address_id, self.delivery)
        self.assertEqual(self.purchase.partner_id, self.vendor)
        # the dropship delivery goes from the vendor to the buyer's address
        self.assertEqual(self.dropship.partner_id, self.vendor)
        self.assertEqual(self.dropship.move_ids.partner_id, self.delivery)
        self.assertEqual(self.dropship.state, "done")
        self.assertEqual(self._files_left(self.values), self.label)

    def test_the_job_leaves_nothing_of_the_buyer(self):
        with freeze_time(NOW):
            self._run_cron()
        self.assertTrue(self.order.dataprotect_anonymized_at)
        self.assertTrue(self.dropship_order.dataprotect_anonymized_at)
        self.assertFalse(self.label.exists())
        self.assertEqual(self._files_left(self.values), self.env["ir.attachment"])
        self.assertEqual(self._scan_database(self.values), set())
        # the vendor's purchase order and the dropship delivery are kept,
        # pointing at the anonymized address; the vendor is the seller's own
        self.assertEqual(self.purchase.dest_address_id, self.delivery)
        self.assertEqual(self.delivery.name, "Anonymized")
        self.assertEqual(self.dropship.partner_id, self.vendor)
        self.assertEqual(
            (self.vendor.name, self.vendor.email),
            ("Topf-Großhandel GmbH", "einkauf@topf.example.de"),
        )
        self.assertFalse(self.vendor.dataprotect_anonymized_at)
