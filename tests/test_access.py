from odoo.api import call_kw
from odoo.exceptions import AccessError
from odoo.models import check_method_name
from odoo.tests import new_test_user, tagged

from .common import CRON_XMLID, DataprotectCase


@tagged("post_install", "-at_install")
class TestAccess(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="dp_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.env.company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="dp_manager",
            groups="sales_team.group_sale_manager,dataprotect.group_dataprotect_manager",
            company_id=cls.env.company.id,
        )

    def test_salesman_cannot_edit_marketplaces(self):
        marketplace = self.marketplace.with_user(self.salesman)
        self.assertEqual(marketplace.name, "Amazon")  # reading the tag's name is fine
        with self.assertRaises(AccessError):
            marketplace.write({"retention_days": 1000})
        with self.assertRaises(AccessError):
            self.env["dataprotect.marketplace"].with_user(self.salesman).create(
                {"name": "Etsy"}
            )
        with self.assertRaises(AccessError):
            marketplace.unlink()
        self.assertEqual(self.marketplace.retention_days, 30)

    def test_salesman_cannot_run_or_switch_the_job(self):
        order = self._order(self._buyer("Access"), shipped_days_ago=60)
        cron = self.env.ref(CRON_XMLID).with_user(self.salesman)
        with self.assertRaises(AccessError):
            cron.method_direct_trigger()
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(
                self.salesman
            ).action_dataprotect_cron_activate()
        with self.assertRaises(AccessError):
            self.env["dataprotect.run"].with_user(self.salesman).search([])
        self.assertFalse(order.dataprotect_anonymized_at)
        self.assertFalse(self.env.ref(CRON_XMLID).active)

    def test_manager_edits_marketplaces_and_switches_the_job(self):
        self.marketplace.with_user(self.manager).write({"retention_days": 60})
        self.assertEqual(self.marketplace.retention_days, 60)
        self.env["res.config.settings"].with_user(
            self.manager
        ).action_dataprotect_cron_activate()
        self.assertTrue(self.env.ref(CRON_XMLID).active)

    def test_settings_administrators_are_managers(self):
        admin = new_test_user(self.env, login="dp_admin", groups="base.group_system")
        self.assertTrue(admin.has_group("dataprotect.group_dataprotect_manager"))


@tagged("post_install", "-at_install")
class TestEntryPointAccess(DataprotectCase):
    """A salesman and a plain internal user get an access error on every entry
    point of the purge, export, erasure and preview, called as RPC would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = (
            new_test_user(
                cls.env,
                login="dp_rpc_salesman",
                groups="sales_team.group_sale_salesman_all_leads",
                company_id=cls.env.company.id,
            ),
            new_test_user(
                cls.env,
                login="dp_rpc_internal",
                groups="base.group_user",
                company_id=cls.env.company.id,
            ),
        )
        cls.buyer = cls._buyer("Rpc")
        cls.order = cls._order(cls.buyer, shipped_days_ago=60)
        cls.wizard = cls.env["dataprotect.purge.wizard"].create(
            {"marketplace_id": cls.marketplace.id, "confirm_name": "Amazon"}
        )
        cls.erasure = cls.env["dataprotect.erasure.wizard"].create(
            {"partner_id": cls.buyer.id}
        )
        cls.log_run = cls.env["dataprotect.run"].sudo()._start("cron")

    def _calls(self):
        mp = self.marketplace.id
        return [
            ("dataprotect.marketplace", "action_open_purge_wizard", [[mp]]),
            ("dataprotect.marketplace", "action_open_export_wizard", [[mp]]),
            ("dataprotect.marketplace", "action_open_preview", [[mp]]),
            ("dataprotect.purge.wizard", "action_confirm", [[self.wizard.id]]),
            ("dataprotect.purge.wizard", "create", [{"marketplace_id": mp}]),
            ("dataprotect.preview.wizard", "create", [{"marketplace_id": mp}]),
            ("dataprotect.erasure.wizard", "action_confirm", [[self.erasure.id]]),
            ("dataprotect.erasure.wizard", "create", [{"partner_id": self.buyer.id}]),
            ("res.partner", "action_dataprotect_open_erasure", [[self.buyer.id]]),
            ("dataprotect.run", "action_download_export", [[self.log_run.id]]),
            ("dataprotect.run", "read", [[self.log_run.id], ["order_count"]]),
            ("res.config.settings", "action_dataprotect_cron_activate", [[]]),
            ("res.config.settings", "action_dataprotect_open_preview", [[]]),
            # the addon's API, public in Python, refused over RPC to others
            ("dataprotect.job", "run_scheduled", []),
            ("dataprotect.job", "run_requests", []),
            ("dataprotect.planner", "plan_people", [[self.buyer.id]]),
            ("dataprotect.planner", "check_erasable", [[self.buyer.id]]),
            ("dataprotect.anonymizer", "known_values", [[self.buyer.id]]),
            ("dataprotect.exporter", "export", [self.log_run.id, False]),
        ]

    def test_every_entry_point_refuses_other_users(self):
        for user in self.users:
            for model, method, args in self._calls():
                with self.subTest(user=user.login, method=method):
                    with self.assertRaises(AccessError):
                        call_kw(self.env[model].with_user(user), method, args, {})
        self.assertFalse(self.order.dataprotect_anonymized_at)
        self.assertFalse(
            self.env["dataprotect.run"].search([("trigger", "!=", "cron")])
        )

    def test_private_methods_are_not_reachable_by_rpc(self):
        for method in ("_start_request", "_cron_anonymize", "_work_batch", "_harvest"):
            with self.assertRaises(AccessError):
                check_method_name(method)
