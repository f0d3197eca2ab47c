"""Deletion requests by order number: a marketplace's numbers pasted as it
sends them, or uploaded as its CSV (10,000 lines too), or sent over RPC,
matched to the orders; the buyers of the matching ones erased by the
requests cron in batches; numbers that match nothing, another
marketplace's order or a buyer with a user account reported, not erased."""

import base64

from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged  # noqa: F401

from .common import DataprotectCase

NUMBER_A = "302-1000001-0000001"
NUMBER_B = "302-1000002-0000002"
NUMBER_USER = "302-1000003-0000003"
NUMBER_EBAY = "302-1000004-0000004"
NUMBER_OLD = "302-1000005-0000005"
UNKNOWN = "302-9999999-9999999"


@tagged("post_install", "-at_install")
class TestDeletion(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_deletion")
        cls.buyer_a = cls._buyer("Çağla")
        cls.order_a = cls._order(cls.buyer_a, shipped_days_ago=3, reference=NUMBER_A)
        # B's number is in the source document, as some connectors keep it
        cls.buyer_b = cls._buyer("Jörg")
        cls.order_b = cls._order(cls.buyer_b, shipped_days_ago=3, reference="")
        cls.order_b.origin = f"  {NUMBER_B} "
        # a buyer who has a user account (a portal user)
        cls.buyer_user = cls._buyer("Portal")
        new_test_user(
            cls.env,
            login="dp_portal_buyer",
            groups="base.group_portal",
            partner_id=cls.buyer_user.id,
        )
        cls.order_user = cls._order(
            cls.buyer_user, shipped_days_ago=3, reference=NUMBER_USER
        )
        # another marketplace's order with a number of the list
        ebay_team = cls.env["crm.team"].create({"name": "eBay"})
        cls.ebay = cls.env["dataprotect.marketplace"].create(
            {"name": "eBay", "team_ids": [Command.set(ebay_team.ids)]}
        )
        cls.buyer_ebay = cls._buyer("Ebay")
        cls.order_ebay = cls._order(
            cls.buyer_ebay, team=ebay_team, reference=NUMBER_EBAY
        )
        # an order anonymized already
        cls.buyer_old = cls._buyer("Alt")
        cls.order_old = cls._order(
            cls.buyer_old, shipped_days_ago=40, reference=NUMBER_OLD
        )
        cls.env["ir.config_parameter"].set_param("dataprotect.batch_size", "1")

    def _wizard(self, **values):
        """The wizard as the browser saves it when Check is clicked."""
        return (
            self.env["dataprotect.deletion.wizard"]
            .with_user(self.manager)
            .create(values)
        )

    def _erased(self, buyer):
        return buyer.name == "Anonymized" and not buyer.email

    def test_numbers_pasted_as_sent(self):
        self._run_cron()
        self.assertTrue(self.order_old.dataprotect_anonymized_at)
        text = "\n".join(
            [
                f" {NUMBER_A} ",
                "",
                NUMBER_B,
                NUMBER_A,
                "   ",
                UNKNOWN,
                NUMBER_USER,
                NUMBER_EBAY,
                NUMBER_OLD,
            ]
        )
        wizard = self._wizard(numbers=text)
        self.assertFalse(wizard.checked)
        wizard.action_check()
        self.assertTrue(wizard.checked)
        counts = {
            name: wizard[f"{name}_count"]
            for name in (
                "number",
                "duplicate",
                "erase",
                "anonymized",
                "refused",
                "other",
                "not_found",
            )
        }
        self.assertEqual(
            counts,
            {
                "number": 6,
                "duplicate": 1,
                "erase": 2,
                "anonymized": 1,
                "refused": 1,
                "other": 1,
                "not_found": 1,
            },
        )
        self.assertEqual(wizard.matched_order_ids, self.order_a | self.order_b)
        self.assertEqual(wizard.refused_numbers, NUMBER_USER)
        self.assertEqual(wizard.other_numbers, NUMBER_EBAY)
        self.assertEqual(wizard.not_found_numbers, UNKNOWN)
        # what erasing the two buyers touches
        self.assertEqual(wizard.order_ids, self.order_a | self.order_b)
        self.assertEqual(
            wizard.partner_ids,
            self.buyer_a
            | self.buyer_a.child_ids
            | self.buyer_b
            | self.buyer_b.child_ids,
        )
        self.assertEqual(
            wizard.invoice_count, len((self.order_a | self.order_b).invoice_ids)
        )
        # nothing changed yet
        self.assertFalse(self.order_a.dataprotect_anonymized_at)

        action = wizard.action_confirm()
        run = self.env["dataprotect.run"].browse(action["res_id"])
        self.assertEqual((run.trigger, run.state), ("deletion", "running"))
        self.assertEqual(run.remaining_count, 2)
        self._process_requests()
        self.assertEqual(run.state, "done")
        self.assertEqual(
            {line.number: line.state for line in run.number_ids},
            {
                NUMBER_A: "erased",
                NUMBER_B: "erased",
                UNKNOWN: "not_found",
                NUMBER_USER: "refused",
                NUMBER_EBAY: "other",
                NUMBER_OLD: "anonymized",
            },
        )
        self.assertEqual(run.duplicate_count, 1)
        self.assertEqual(run.order_count, 2)
        self.assertIn("Erased: 2", run.number_summary)
        for buyer in (self.buyer_a, self.buyer_b):
            self.assertTrue(self._erased(buyer))
        self.assertTrue(self.order_a.dataprotect_anonymized_at)
        self.assertFalse(
            self._privacy_lookup("Çağla", self.buyer_a.child_ids[1].email or "x@y")
            & {("res.partner", self.buyer_a.id)}
        )
        # the refused and the other marketplace's buyers are intact
        for buyer in (self.buyer_user, self.buyer_ebay):
            self.assertFalse(self._erased(buyer))
        self.assertFalse(self.order_ebay.dataprotect_anonymized_at)
        self.assertFalse(self.order_user.dataprotect_anonymized_at)
        # the log names numbers and orders, never a buyer
        self.env.cr.execute(
            "SELECT number FROM dataprotect_run_number WHERE run_id = %s", [run.id]
        )
        stored = repr(self.env.cr.fetchall())
        for value in self._personal_values(self.buyer_a):
            self.assertNotIn(value, stored)

    def test_the_marketplaces_csv_uploaded(self):
        field = self.env["ir.model.fields"].create(
            {
                "name": "x_amazon_order_id",
                "field_description": "Amazon Order ID",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "ttype": "char",
            }
        )
        self.marketplace.order_number_field_id = field
        self.order_a.write({"client_order_ref": "A-1", "x_amazon_order_id": NUMBER_A})
        csv = (
            "\ufeffamazon-order-id;order-item-id;purchase-date\r\n"
            f'"{NUMBER_A}";"1234";"2026-10-01"\r\n'
            f'"{UNKNOWN}";"5678";"2026-10-02"\r\n'
        )
        wizard = self._wizard(
            upload=base64.b64encode(csv.encode()), upload_name="request.csv"
        )
        wizard.action_check()
        self.assertEqual(
            (wizard.number_count, wizard.erase_count, wizard.not_found_count),
            (2, 1, 1),
        )
        self.assertEqual(wizard.matched_order_ids, self.order_a)
        # a file that is not text, its name not repeated (it may name a person)
        wizard = self._wizard(
            upload=base64.b64encode(b"%PDF-1.4\0\0\x01binary"),
            upload_name="Anfrage Jürgen Weiß.pdf",
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_check()
        self.assertEqual(
            str(caught.exception), "The uploaded file is not a text or CSV file."
        )
        # nothing at all
        wizard = self._wizard(numbers="\n \n")
        with self.assertRaisesRegex(UserError, "holds no order number"):
            wizard.action_check()

    def test_ten_thousand_lines(self):
        numbers = [f"305-{i:07d}-{i:07d}" for i in range(9998)]
        numbers[5000:5000] = [NUMBER_A, NUMBER_B]
        self.assertEqual(len(numbers), 10000)
        wizard = self._wizard(
            upload=base64.b64encode(("order-id\n" + "\n".join(numbers)).encode()),
            upload_name="request.txt",
        )
        wizard.action_check()
        self.assertEqual(
            (wizard.number_count, wizard.erase_count, wizard.not_found_count),
            (10000, 2, 9998),
        )
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(len(run.number_ids), 10000)
        self._process_requests()
        self.assertEqual(run.state, "done")
        self.assertTrue(self._erased(self.buyer_a))
        self.assertTrue(self._erased(self.buyer_b))
        self.assertEqual(
            run.number_ids.filtered(lambda line: line.state == "erased").mapped(
                "number"
            ),
            [NUMBER_A, NUMBER_B],
        )

    def test_over_rpc(self):
        result = call_kw(
            self.env["dataprotect.marketplace"].with_user(self.manager),
            "request_deletion",
            [[self.marketplace.id], [NUMBER_A, NUMBER_USER, UNKNOWN, NUMBER_A]],
            {},
        )
        run = self.env["dataprotect.run"].browse(result["run_id"])
        self.assertEqual(
            result,
            {
                "run_id": run.id,
                "duplicates": 1,
                "erase": [NUMBER_A],
                "anonymized": [],
                "refused": [NUMBER_USER],
                "other": [],
                "not_found": [UNKNOWN],
            },
        )
        self._process_requests()
        self.assertTrue(self._erased(self.buyer_a))
        self.assertFalse(self._erased(self.buyer_user))
        # a salesman may not
        salesman = new_test_user(
            self.env, login="dp_deletion_sales", groups="sales_team.group_sale_salesman"
        )
        with self.assertRaises(AccessError):
            call_kw(
                self.env["dataprotect.marketplace"].with_user(salesman),
                "request_deletion",
                [[self.marketplace.id], [NUMBER_B]],
                {},
            )
        with self.assertRaises(AccessError):
            self.env["dataprotect.deletion.wizard"].with_user(salesman).create(
                {"numbers": NUMBER_B}
            )
        self.assertFalse(self._erased(self.buyer_b))
