"""The access review: the internal users who may read marketplace buyers'
data, through which groups, with their last access from the access log."""

import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import NOW, DataprotectCase


@tagged("post_install", "-at_install")
class TestAccessReview(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_review_manager")
        cls.salesman = new_test_user(
            cls.env,
            login="dp_review_sales",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.stock_user = new_test_user(
            cls.env, login="dp_review_stock", groups="stock.group_stock_user"
        )
        cls.portal = new_test_user(
            cls.env, login="dp_review_portal", groups="base.group_portal"
        )
        cls.former = new_test_user(
            cls.env, login="dp_review_former", groups="sales_team.group_sale_manager"
        )
        cls.former.active = False
        cls.buyer = cls._buyer("Şule")
        cls.order = cls._order(cls.buyer, shipped_days_ago=5)

    def test_who_may_read_and_when_they_last_did(self):
        with freeze_time(NOW):
            self.order.with_user(self.salesman).web_read({"partner_id": {}})
            self.buyer.with_user(self.salesman).web_read({"name": {}, "email": {}})
        review = (
            self.env["dataprotect.access.review"].with_user(self.manager).create({})
        )
        lines = {line.user_id: line for line in review.line_ids}
        self.assertIn(self.salesman, lines)
        self.assertIn(self.stock_user, lines)
        self.assertIn(self.manager, lines)
        self.assertNotIn(self.portal, lines)
        self.assertNotIn(self.former, lines)
        sales = lines[self.salesman]
        self.assertIn(self.env.ref("sales_team.group_sale_salesman"), sales.group_ids)
        self.assertIn("Sales Order", sales.models)
        self.assertEqual(
            (sales.last_access, sales.access_count, sales.record_count), (NOW, 2, 2)
        )
        stock = lines[self.stock_user]
        self.assertIn(self.env.ref("stock.group_stock_user"), stock.group_ids)
        self.assertIn("Transfer", stock.models)
        self.assertFalse(stock.last_access)
        # the user's entries of the log
        action = sales.with_user(self.manager).action_open_log()
        entries = self.env["dataprotect.access.log"].search(action["domain"])
        self.assertEqual(set(entries.mapped("model")), {"sale.order", "res.partner"})

        attachment = self.env["ir.attachment"].browse(
            int(review.action_download_csv()["url"].split("/")[3].split("?")[0])
        )
        text = base64.b64decode(attachment.datas).decode("utf-8-sig")
        self.assertIn("dp_review_sales", text)
        self.assertNotIn("dp_review_portal", text)
        for value in self._personal_values(self.buyer):
            self.assertNotIn(value, text)

    def test_managers_only(self):
        with self.assertRaises(AccessError):
            self.env["dataprotect.access.review"].with_user(self.salesman).create({})
