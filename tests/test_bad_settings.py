"""Settings written past the forms -- SQL, system parameters, a deleted field
or sales team: the job logs what is wrong and changes nothing."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CRON_XMLID, DataprotectCase


@tagged("post_install", "-at_install")
class TestBadSettings(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recent_buyer = cls._buyer("Knorz")
        # due only if the retention period were wrong
        cls.recent = cls._order(cls.recent_buyer, shipped_days_ago=3)
        cls.old_buyer = cls._buyer("Wumme")
        cls.old = cls._order(cls.old_buyer, shipped_days_ago=45)
        cls.old.order_line[0].name = "Tea Pot\nHappy birthday, Wumme"

    def _sql(self, query, *params):
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    def _assert_nothing_changed(self):
        self.env.invalidate_all()
        for order, buyer in (
            (self.recent, self.recent_buyer),
            (self.old, self.old_buyer),
        ):
            self.assertFalse(order.dataprotect_anonymized_at)
            self.assertTrue(order.note)
            self.assertIn("Mustermann", buyer.name)
            self.assertTrue(buyer.email)
            self.assertTrue(buyer.street)
        self.assertIn("Wumme", self.old.order_line[0].name)

    def _assert_refused(self, *messages):
        """Run the job as the scheduler would: it changes nothing and its log
        entry, also shown in Settings, says what is wrong."""
        self._run_cron()
        run = self._last_run()
        self.assertEqual((run.trigger, run.state), ("cron", "failed"))
        self.assertEqual(run.marketplace_id, self.marketplace)
        for message in messages:
            self.assertIn(message, run.error)
        for personal in ("Knorz", "Wumme", "Mustermann", "example.de"):
            self.assertNotIn(personal, run.error)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.env.ref(CRON_XMLID).id)], order="id desc", limit=1
        )
        self.assertEqual(progress.remaining, 0, "the runner must not call again")
        self._assert_nothing_changed()
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dataprotect_failed_run_id, run)
        self.assertEqual(settings.dataprotect_failed_run_error, run.error)
        return run

    def _assert_runs_again(self):
        self._run_cron()
        self.assertEqual(self._last_run().state, "done")
        self.assertTrue(self.old.dataprotect_anonymized_at)
        self.assertEqual(self.old_buyer.name, "Anonymized")
        self.assertFalse(self.recent.dataprotect_anonymized_at)

    def test_retention_below_one_day(self):
        for days in (0, -5):
            with self.subTest(days=days):
                self._sql(
                    "UPDATE dataprotect_marketplace SET retention_days = %s "
                    "WHERE id = %s",
                    days,
                    self.marketplace.id,
                )
                self._assert_refused(
                    f"The retention period of marketplace Amazon is {days} days; "
                    "it must be at least 1 day."
                )
        self.marketplace.retention_days = 30
        self._assert_runs_again()

    def test_the_message_in_the_language_of_the_reader(self):
        """The job runs as the superuser (English here); a German manager
        reads what went wrong in German, on the log and in Settings."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["dataprotect"], ["de_DE"])
        self.assertEqual(self.env.ref("base.user_root").lang, "en_US")
        self._sql(
            "UPDATE dataprotect_marketplace SET retention_days = -5 WHERE id = %s",
            self.marketplace.id,
        )
        run = self._assert_refused(
            "The retention period of marketplace Amazon is -5 days"
        )
        german = run.with_context(lang="de_DE")
        self.assertIn(
            "Die Aufbewahrungsfrist des Marktplatzes Amazon beträgt -5 Tage",
            german.error,
        )
        settings = self.env["res.config.settings"].with_context(lang="de_DE")
        settings = settings.create({})
        self.assertEqual(settings.dataprotect_failed_run_error, german.error)
        self.assertIn("beträgt -5 Tage", settings.dataprotect_setting_problems)

    def test_empty_placeholder(self):
        self._sql(
            "UPDATE dataprotect_marketplace "
            'SET placeholder = \'{"en_US": "   "}\' WHERE id = %s',
            self.marketplace.id,
        )
        self._assert_refused("The placeholder of marketplace Amazon is empty.")

    def _gift_field(self):
        field = self._gift_message_field()
        self.old.order_line[0].x_gift_message = "Happy birthday, Wumme"
        return field

    def test_gift_message_field_row_deleted_in_sql(self):
        """The field's row is gone (the column and its gift messages are not):
        anonymizing without it would leave the messages."""
        field = self._gift_field()
        self._sql("DELETE FROM ir_model_fields WHERE id = %s", field.id)
        self.assertFalse(self.marketplace.gift_message_field_id)
        self._assert_refused(
            "The gift message field x_gift_message of marketplace Amazon was deleted."
        )
        form = self.env.ref("dataprotect.dataprotect_marketplace_view_form")
        self.assertIn("action_forget_gift_message_field", form.arch)
        self.marketplace.action_forget_gift_message_field()
        self._assert_runs_again()

    def test_gift_message_field_deleted(self):
        """Deleted as a user can (Settings, Technical, Fields): its texts copied
        into the line descriptions could no longer be found."""
        self._gift_field().unlink()
        self._assert_refused(
            "The gift message field x_gift_message of marketplace Amazon was deleted."
        )

    def test_gift_message_field_of_another_kind(self):
        price = self.env["ir.model.fields"]._get("sale.order.line", "price_unit")
        self._sql(
            "UPDATE dataprotect_marketplace SET gift_message_field_id = %s "
            "WHERE id = %s",
            price.id,
            self.marketplace.id,
        )
        self._assert_refused(
            "The gift message field price_unit of marketplace Amazon is not (or no "
            "longer) an optional, stored text field of the sales order lines."
        )

    def test_sales_team_deleted_in_sql(self):
        self._sql("DELETE FROM crm_team WHERE id = %s", self.amazon_team.id)
        self.assertFalse(self.marketplace.team_ids)
        self.assertEqual(self.old.dataprotect_marketplace_id, self.marketplace)
        self._assert_refused(
            "Orders of marketplace Amazon that have lost their sales team "
            "(it was deleted or unlinked outside Odoo's forms): 2."
        )
        # giving the orders a team of the marketplace again lets the job run
        team = self.env["crm.team"].create({"name": "Amazon DE (new)"})
        self.marketplace.team_ids = team
        (self.old | self.recent).team_id = team
        self._assert_runs_again()

    def test_deleting_a_marketplace_team_is_refused(self):
        """Deleting the team in the ORM would untag its orders for good."""
        with self.assertRaises(UserError) as refused:
            self.amazon_team.unlink()
        self.assertIn(
            "The sales team Amazon DE belongs to marketplace Amazon",
            str(refused.exception),
        )
        self.assertTrue(self.amazon_team.exists())
        self.assertEqual(self.old.dataprotect_marketplace_id, self.marketplace)
        self.shop_team.unlink()  # other teams can go

    def test_a_bad_batch_size_falls_back_to_the_default(self):
        """The batch size and the number of parallel batches change only how
        many orders one call takes: a bad value falls back to the default
        (with a warning in the server log), too many parallel batches to 8."""
        job = self.env["dataprotect.job"]
        for key, method, default in (
            ("dataprotect.batch_size", job._batch_size, 1000),
            ("dataprotect.parallel_batches", job._parallel_batches, 2),
        ):
            for value in ("abc", "-3", "0", " 2.5 "):
                with self.subTest(key=key, value=value):
                    self.env["ir.config_parameter"].set_param(key, value)
                    self.assertEqual(method(), default)
        self.env["ir.config_parameter"].set_param("dataprotect.parallel_batches", "50")
        self.assertEqual(job._parallel_batches(), 8)
        self.env["ir.config_parameter"].set_param("dataprotect.parallel_batches", "1")
        self._assert_runs_again()


@tagged("post_install", "-at_install")
class TestBadSettingsOfRequests(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_bad_settings_manager")
        cls.buyer = cls._buyer("Quirl")
        cls.order = cls._order(cls.buyer, shipped_days_ago=45)

    def _request(self, mode):
        wizard = self._purge_wizard(self.manager, mode)
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self._process_requests()
        return run

    def _assert_refused(self, run, message):
        self.assertEqual(run.state, "failed")
        self.assertIn(message, run.error)
        self.assertNotIn("Quirl", run.error)
        self.assertFalse(run.export_attachment_id)
        self.assertFalse(self.order.dataprotect_anonymized_at)
        self.assertEqual(self.buyer.name, "Erika Quirl Mustermann")
        self.assertTrue(self.buyer.email)

    def test_export_with_a_non_numeric_file_retention(self):
        for value in ("seven", "-1"):
            with self.subTest(value=value):
                self.env["ir.config_parameter"].set_param(
                    "dataprotect.export_retention_days", value
                )
                self._assert_refused(
                    self._request("export"),
                    "The system parameter dataprotect.export_retention_days must "
                    "be a positive whole number of days.",
                )

    def test_purge_with_an_empty_placeholder(self):
        self.env.flush_all()
        self.env.cr.execute(
            'UPDATE dataprotect_marketplace SET placeholder = \'{"en_US": ""}\' '
            "WHERE id = %s",
            (self.marketplace.id,),
        )
        self.env.invalidate_all()
        self._assert_refused(
            self._request("purge"), "The placeholder of marketplace Amazon is empty."
        )
