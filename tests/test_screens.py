"""What the screens tell a user before and after a destructive action: the
date an order's data will be anonymized from, what tells anonymized contacts
apart, the export wizard's title and file retention, and the log in German
whatever language the run was made in."""

from datetime import timedelta

from odoo.tests import tagged

from .common import NOW, DataprotectCase


@tagged("post_install", "-at_install")
class TestScreens(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls._buyer("Screen")
        cls.shipped = cls._order(cls.buyer, shipped_days_ago=3)
        cls.unshipped = cls._order(cls.buyer, deliver=False, invoice=False)
        cls.old_buyer = cls._buyer("ScreenOld")
        cls.old = cls._order(cls.old_buyer, shipped_days_ago=45)

    def test_the_date_an_order_is_anonymized_from(self):
        done = self.shipped.picking_ids.date_done
        self.assertEqual(self.shipped.dataprotect_anonymize_from, done + timedelta(30))
        # not shipped yet: the period has not started
        self.assertFalse(self.unshipped.dataprotect_anonymize_from)
        self.marketplace.retention_days = 10
        self.assertEqual(self.shipped.dataprotect_anonymize_from, done + timedelta(10))
        # the date agrees with the due rule
        self.env.invalidate_all()
        with self._frozen():
            self.assertFalse(self.shipped.dataprotect_due)
            due = self.env["sale.order"].search([("dataprotect_due", "=", True)])
        self.assertEqual(due, self.old)
        self.assertLess(self.old.dataprotect_anonymize_from, NOW)
        self.assertGreater(self.shipped.dataprotect_anonymize_from, NOW)
        self._run_cron()
        self.assertTrue(self.old.dataprotect_anonymized_at)
        self.assertFalse(self.old.dataprotect_anonymize_from)

    def test_anonymized_contacts_are_told_apart_by_their_orders(self):
        self._run_cron()
        self.assertEqual(self.old_buyer.name, "Anonymized")
        self.assertEqual(self.old_buyer.dataprotect_order_names, self.old.name)
        delivery = self.old.partner_shipping_id
        self.assertEqual(delivery.dataprotect_order_names, self.old.name)
        # contacts whose data is active show none (nothing to tell apart)
        self.assertFalse(self.buyer.dataprotect_order_names)

    def test_the_export_wizard_says_when_its_file_is_deleted(self):
        self.env["ir.config_parameter"].set_param(
            "dataprotect.export_retention_days", "14"
        )
        action = self.marketplace.action_open_export_wizard()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(action["name"], "Export, Then Anonymize All Personal Data")
        self.assertEqual(wizard.export_retention_days, 14)
        purge = self.marketplace.action_open_purge_wizard()
        self.assertEqual(purge["name"], "Anonymize All Personal Data of a Marketplace")

    def test_the_log_in_german(self):
        """Run by the scheduled action (as an English-speaking superuser), read
        by a German manager: the kind, the marketplace and the records'
        names in German."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"].search(
            [("name", "in", ("base", "sale", "stock", "account", "dataprotect"))]
        )._update_translations(["de_DE"])
        self._run_cron()
        # in the reader's time zone (the user's preference; UTC here)
        run = self._last_run().with_context(lang="de_DE")
        self.assertEqual(run.display_name, "Geplant · Amazon · 02.11.26, 08:00")
        names = set(run.line_ids.mapped("model_description"))
        self.assertLessEqual(
            {"Verkaufsauftrag", "Kontakt", "Journalbuchung"}, names, names
        )
        english = self._last_run().with_context(lang="en_US")
        self.assertTrue(
            english.display_name.startswith("Scheduled · Amazon · 11/2/26, 8:00"),
            english.display_name,
        )
