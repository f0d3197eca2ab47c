"""The PII access log: every way a salesman or a manager reads an active
marketplace buyer's data (the form, a list, the API, an export from a list,
a printed order) counts one entry per user, record and kind per hour; reads
of anonymized buyers, of other customers and the addon's own runs count
none; nothing in the log is personal; nobody changes or deletes it, and the
requests cron removes what is past its retention."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import NOW, DataprotectCase

ORDER_FORM = {
    "name": {},
    "state": {},
    "partner_id": {"fields": {"display_name": {}}},
    "partner_shipping_id": {"fields": {"display_name": {}}},
    "client_order_ref": {},
    "note": {},
}
PARTNER_FORM = {
    "name": {},
    "email": {},
    "phone": {},
    "street": {},
    "child_ids": {"fields": {"name": {}, "email": {}}},
}


@tagged("post_install", "-at_install")
class TestAccessLog(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_access_manager")
        cls.salesman = new_test_user(
            cls.env,
            login="dp_access_sales",
            groups="sales_team.group_sale_salesman_all_leads,"
            "account.group_account_invoice",
            company_id=cls.env.company.id,
        )
        # exporting from a list is a right of its own
        (cls.manager | cls.salesman).write(
            {"groups_id": [Command.link(cls.env.ref("base.group_allow_export").id)]}
        )
        cls.buyer = cls._buyer("Gülşen")
        cls.order = cls._order(cls.buyer, shipped_days_ago=10)
        cls.old_buyer = cls._buyer("Jürgen")
        cls.old_order = cls._order(
            cls.old_buyer, shipped_days_ago=40, reference="302-1111111-2222222"
        )
        cls.shop_buyer = cls._buyer("Webshop")
        cls.shop_order = cls._order(cls.shop_buyer, team=cls.shop_team)

    def _entries(self, user=None, **where):
        domain = [(key, "=", value) for key, value in where.items()]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["dataprotect.access.log"].search(domain)

    def _summary(self, user):
        """{(model, record, kind): count} of the user's entries."""
        return {(e.model, e.res_id, e.kind): e.count for e in self._entries(user=user)}

    def test_every_way_of_reading_counts_once_per_hour(self):
        for user in (self.salesman, self.manager):
            with self.subTest(user=user.login), freeze_time(NOW):
                order = self.order.with_user(user)
                partner = self.buyer.with_user(user)
                # the form, opened twice within the hour
                order.web_read(ORDER_FORM)
                order.web_read(ORDER_FORM)
                partner.web_read(PARTNER_FORM)
                # the API
                call_kw(
                    self.env["sale.order"].with_user(user),
                    "read",
                    [order.ids, ["partner_id", "state"]],
                    {},
                )
                call_kw(
                    self.env["res.partner"].with_user(user),
                    "search_read",
                    [[("id", "=", partner.id)], ["email"]],
                    {},
                )
                # a list: the orders of the Amazon team
                order.web_search_read(
                    [("team_id", "=", self.amazon_team.id)],
                    {"name": {}, "partner_id": {"fields": {"display_name": {}}}},
                )
                # an export from a list
                order.export_data(
                    ["name", "partner_id/name", "partner_shipping_id/street"]
                )
                # the printed order
                self.env["ir.actions.report"].with_user(user)._render_qweb_pdf(
                    "sale.action_report_saleorder", order.ids
                )
                # the invoice and the delivery, opened
                order.invoice_ids.web_read({"partner_id": {}, "name": {}})
                order.picking_ids.web_read({"partner_id": {}, "name": {}})
                self.env.flush_all()
                self.assertEqual(
                    self._summary(user),
                    {
                        ("sale.order", self.order.id, "form"): 2,
                        ("sale.order", self.order.id, "rpc"): 1,
                        ("sale.order", self.order.id, "list"): 1,
                        ("sale.order", self.old_order.id, "list"): 1,
                        ("sale.order", self.order.id, "export"): 1,
                        ("sale.order", self.order.id, "report"): 1,
                        ("res.partner", self.buyer.id, "form"): 1,
                        ("res.partner", self.buyer.id, "rpc"): 1,
                        ("account.move", self.order.invoice_ids.id, "form"): 1,
                        ("stock.picking", self.order.picking_ids.id, "form"): 1,
                    },
                )
                entry = self._entries(user, model="sale.order", kind="form")
                self.assertEqual(entry.marketplace_id, self.marketplace)
                self.assertEqual(entry.hour, NOW)
        # an hour later, the form counts anew
        with freeze_time(NOW + timedelta(hours=1, minutes=5)):
            self.order.with_user(self.salesman).web_read(ORDER_FORM)
        forms = self._entries(self.salesman, model="sale.order", kind="form")
        self.assertEqual(sorted(forms.mapped("count")), [1, 2])
        self.assertEqual(max(forms.mapped("hour")), NOW + timedelta(hours=1))

    def test_a_read_of_nothing_personal_is_not_logged(self):
        self.order.with_user(self.salesman).web_read({"name": {}, "state": {}})
        call_kw(
            self.env["sale.order"].with_user(self.salesman),
            "read",
            [self.order.ids, ["amount_total"]],
            {},
        )
        self.assertFalse(self._entries(self.salesman))

    def test_anonymized_and_other_buyers_and_the_job_leave_nothing(self):
        self._run_cron()
        self.assertTrue(self.old_order.dataprotect_anonymized_at)
        # the job, the anonymized buyer, the webshop's customer
        self.assertFalse(self._entries())
        for user in (self.salesman, self.manager):
            for record in (
                self.old_order,
                self.old_buyer,
                self.shop_order,
                self.shop_buyer,
                self.shop_order.invoice_ids,
            ):
                record.with_user(user).web_read(
                    {"display_name": {}, "partner_id": {}}
                    if "partner_id" in record._fields
                    else {"display_name": {}}
                )
                call_kw(
                    record.with_user(user),
                    "read",
                    [record.ids, ["display_name", "partner_id"]]
                    if "partner_id" in record._fields
                    else [record.ids, ["name", "email", "street"]],
                    {},
                )
            self.env["ir.actions.report"].with_user(user)._render_qweb_pdf(
                "sale.action_report_saleorder", (self.old_order | self.shop_order).ids
            )
        # a preview, and the code running as superuser
        self.marketplace.with_user(self.manager).action_open_preview()
        self.order.sudo().web_read(ORDER_FORM)
        self.order.sudo().read(["partner_id"])
        self.assertFalse(self._entries())

    def test_the_log_holds_no_personal_data(self):
        self.order.with_user(self.salesman).web_read(ORDER_FORM)
        self.buyer.with_user(self.manager).web_read(PARTNER_FORM)
        self.order.with_user(self.manager).export_data(["partner_id/name"])
        self.assertTrue(self._entries())
        values = self._personal_values(self.buyer)
        self.env.flush_all()
        self.env.cr.execute("SELECT * FROM dataprotect_access_log")
        text = repr(self.env.cr.fetchall()).lower()
        for value in values:
            self.assertNotIn(value.lower(), text)
        # and the whole database holds them nowhere in the log's table
        places = {table for table, _column in self._scan_database(values)}
        self.assertNotIn("dataprotect_access_log", places)

    def test_nobody_changes_or_deletes_it(self):
        self.order.with_user(self.salesman).web_read(ORDER_FORM)
        entry = self._entries(self.salesman)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.with_user(self.manager).count, 1)
        with self.assertRaises(AccessError):
            self.env["dataprotect.access.log"].with_user(self.salesman).search([])
        admin = self.env.ref("base.user_admin")
        for user in (self.manager, admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                entry.with_user(user).write({"count": 0})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["dataprotect.access.log"].with_user(user).create(
                    {
                        "user_id": user.id,
                        "model": "sale.order",
                        "res_id": 1,
                        "kind": "form",
                        "hour": NOW,
                    }
                )
        # not even code running as superuser deletes it
        for user in (self.manager, admin, self.env.user):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                entry.with_user(user).sudo().unlink()
        self.assertEqual(entry.count, 1)
        # a manager exports it (CSV or Excel through the list)
        rows = entry.with_user(self.manager).export_data(
            ["hour", "user_id/login", "kind", "model", "res_id", "count"]
        )["datas"]
        self.assertEqual(
            rows[0][1:], ["dp_access_sales", "Opened", "sale.order", self.order.id, 1]
        )

    def test_the_requests_cron_deletes_what_is_past_its_retention(self):
        with freeze_time(NOW - timedelta(days=400)):
            self.order.with_user(self.salesman).web_read(ORDER_FORM)
        with freeze_time(NOW - timedelta(days=300)):
            self.order.with_user(self.manager).web_read(ORDER_FORM)
        with freeze_time(NOW):
            self.order.with_user(self.salesman).web_read(ORDER_FORM)
        self._process_requests()
        self.assertEqual(
            sorted(self._entries().mapped("hour")),
            [NOW - timedelta(days=300), NOW],
        )
        # 30 days, set on the settings screen
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.dataprotect_access_log_days, 365)
        settings.dataprotect_access_log_days = 30
        settings.save().execute()
        self._process_requests()
        self.assertEqual(self._entries().mapped("hour"), [NOW])

    def test_a_retention_below_one_day_is_refused(self):
        settings = Form(self.env["res.config.settings"])
        settings.dataprotect_access_log_days = 0
        with self.assertRaisesRegex(ValidationError, "at least one day, not 0"):
            settings.save()
        self.assertEqual(self.env["dataprotect.access.log"]._retention_days(), 365)
