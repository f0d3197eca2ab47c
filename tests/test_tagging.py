from odoo import Command
from odoo.tests import tagged

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestTagging(DataprotectCase):
    def test_order_and_everything_it_points_at_is_tagged(self):
        buyer = self._buyer("Tag")
        order = self._order(buyer, shipped_days_ago=5)
        for records in (
            order,
            order.picking_ids,
            order.invoice_ids,
            buyer,
            buyer.child_ids,
        ):
            self.assertEqual(
                records.mapped("dataprotect_marketplace_id"), self.marketplace
            )
            self.assertFalse(any(records.mapped("dataprotect_anonymized_at")))
        # a new delivery address of a tagged buyer is tagged too
        new_address = self.env["res.partner"].create(
            {"parent_id": buyer.id, "type": "delivery", "name": "Neu"}
        )
        self.assertEqual(new_address.dataprotect_marketplace_id, self.marketplace)

    def test_other_teams_are_not_tagged(self):
        buyer = self._buyer("Untagged")
        order = self._order(buyer, shipped_days_ago=5, team=self.shop_team)
        for records in (order, order.picking_ids, order.invoice_ids, buyer):
            self.assertFalse(records.mapped("dataprotect_marketplace_id"))

    def test_adding_a_team_tags_existing_documents(self):
        buyer = self._buyer("Later")
        order = self._order(buyer, shipped_days_ago=5, team=self.shop_team)
        self.marketplace.team_ids = [Command.link(self.shop_team.id)]
        for records in (
            order,
            order.picking_ids,
            order.invoice_ids,
            buyer,
            buyer.child_ids,
        ):
            self.assertEqual(
                records.mapped("dataprotect_marketplace_id"), self.marketplace
            )

    def test_list_views_filter_on_the_tag(self):
        for model in ("sale.order", "account.move", "stock.picking", "res.partner"):
            arch = self.env[model].get_views([(False, "search"), (False, "form")])[
                "views"
            ]
            self.assertIn("dataprotect_anonymized", arch["search"]["arch"])
            self.assertIn("dataprotect_personal_data_active", arch["search"]["arch"])
            self.assertIn("dataprotect_anonymized_at", arch["form"]["arch"])
            self.assertIn("was anonymized on", arch["form"]["arch"])
