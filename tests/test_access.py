from odoo.exceptions import AccessError
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
