from odoo.tests import tagged

from .common import CRON_XMLID, DataprotectCase


@tagged("post_install", "-at_install")
class TestCronBatches(DataprotectCase):
    def test_backlog_finishes_over_several_bounded_calls(self):
        self.env["ir.config_parameter"].set_param("dataprotect.batch_size", "2")
        orders = self.env["sale.order"]
        for tag in ("B1", "B2", "B3", "B4", "B5"):
            orders |= self._order(self._buyer(tag), shipped_days_ago=45)
        self._run_cron()
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.env.ref(CRON_XMLID).id)], order="id desc", limit=1
        )
        # what remains is counted up to one batch: enough for the cron runner
        self.assertEqual((progress.done, progress.remaining), (2, 2))
        self.assertEqual(len(orders.filtered("dataprotect_anonymized_at")), 2)
        self.assertEqual(self._run_cron_until_done(), 2)
        self.assertTrue(all(orders.mapped("dataprotect_anonymized_at")))
        self.assertEqual(
            sorted(self.env["dataprotect.run"].search([]).mapped("order_count")),
            [1, 2, 2],
        )

    def test_nothing_due_still_leaves_a_record(self):
        self._run_cron()
        run = self._last_run()
        self.assertEqual(
            (run.state, run.order_count, run.marketplace_id.id), ("done", 0, False)
        )

    def test_a_failing_batch_changes_nothing_and_is_logged(self):
        """Bad data that makes the batch fail: the run is logged as failed with
        the error's kind only, and every order of the batch is untouched."""
        buyer = self._buyer("Fail")
        order = self._order(buyer, shipped_days_ago=45)
        # a database rule of some other module refuses the placeholder
        self.env.cr.execute(
            "ALTER TABLE res_partner ADD CONSTRAINT test_refuse "
            "CHECK (name != 'Anonymized') NOT VALID"
        )
        name_before = buyer.name
        self._run_cron()
        run = self._last_run()
        self.assertEqual(run.state, "failed")
        self.assertTrue(run.error)
        self.assertNotIn("Fail", run.error)
        self.assertFalse(order.dataprotect_anonymized_at)
        self.assertEqual(buyer.name, name_before)
        self.assertTrue(buyer.email)
