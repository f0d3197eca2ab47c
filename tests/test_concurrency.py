"""Concurrency: the job runs while users edit orders and partners, and while
another run works, each on its own real database connection (a copy of the
test database with committed data). Nobody waits for the job, nobody's change
is lost, no record is half anonymized, nothing is processed twice."""

from unittest.mock import patch

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from .common import copy_database, odoo_shell
from .test_crash import BENCH

ORDERS = 12

SET_UP = f"""
    import sys
    sys.path.insert(0, {BENCH!r})
    from bench_anonymize import build
    orders = build(env, {ORDERS})
    # a repeat buyer: the last order's buyer bought the first one too
    orders[-1].partner_id = orders[0].partner_id
    env["ir.config_parameter"].set_param("dataprotect.batch_size", "6")
    # one batch per call, unless a test asks for more
    env["ir.config_parameter"].set_param("dataprotect.parallel_batches", "1")
    env.cr.commit()
"""


@tagged("post_install", "-at_install")
class TestConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        database = copy_database(self, "concurrency")
        odoo_shell(database, SET_UP)
        # a registry of the copy, loaded as a server does (not for testing)
        with patch.dict(config.options, {"test_enable": False}):
            self.registry_copy = odoo.modules.registry.Registry(database)

        def close():
            odoo.modules.registry.Registry.delete(database)
            odoo.sql_db.close_db(database)

        self.addCleanup(close)

    def _connection(self):
        """A new connection (cursor) to the copy, that waits at most 5 s for a
        lock: a job that waits for a user fails the test instead of hanging."""
        cr = self.registry_copy.cursor()
        self.addCleanup(cr.close)
        cr.execute("SET lock_timeout = '5s'")
        return api.Environment(cr, SUPERUSER_ID, {})

    def _orders(self, env):
        return env["sale.order"].search(
            [("team_id.name", "=", "Amazon Bench")], order="id"
        )

    def _runs(self, env):
        runs = env["dataprotect.run"].search([("trigger", "!=", "preview")])
        return [(r.trigger, r.state, r.order_count) for r in runs]

    def _run_calls(self, calls):
        """Call the job ``calls`` times, each committed on its own connection,
        as the cron runner does."""
        for _call in range(calls):
            job = self._connection()
            job["dataprotect.job"].run_scheduled()
            job.cr.commit()

    def _call_with_progress(self):
        """One call of the job on a new connection, with the progress record
        the cron runner reads; not committed. Return (env, progress, taken)."""
        job = self._connection()
        cron = job.ref("dataprotect.ir_cron_dataprotect_anonymize")
        progress = job["ir.cron.progress"].create({"cron_id": cron.id})
        taken = (
            job["dataprotect.job"]
            .with_context(ir_cron_progress_id=progress.id)
            .run_scheduled()
        )
        return job, progress, taken

    def _assert_all_done(self):
        """Every order is anonymized, each as a whole."""
        check = self._connection()
        self.assertTrue(all(self._orders(check).mapped("dataprotect_anonymized_at")))
        self._assert_whole(check)

    def _assert_whole(self, env):
        """Each order, its delivery and invoice are anonymized together or not
        at all; an anonymized order's addresses are anonymized (a repeat
        buyer's addresses may go before its last order, with the first one)."""
        for order in self._orders(env):
            parts = [
                bool(order.dataprotect_anonymized_at),
                all(order.picking_ids.mapped("dataprotect_anonymized_at")),
                all(order.invoice_ids.mapped("dataprotect_anonymized_at")),
            ]
            self.assertEqual(
                len(set(parts)), 1, f"{order.name} is half anonymized: {parts}"
            )
            if parts[0]:
                self.assertEqual(order.partner_shipping_id.name, "Anonymized")
                self.assertEqual(order.partner_id.name, "Anonymized")

    def test_users_edit_while_the_job_runs(self):
        user = self._connection()
        orders = self._orders(user)
        # a user edits an order, another a buyer; neither has saved yet
        orders[1].client_order_ref = "Rückruf erbeten"
        orders[2].partner_id.comment = "<p>Ruft wegen der Rechnung an</p>"
        user.flush_all()

        self._run_calls(2)
        user.cr.commit()

        check = self._connection()
        orders = self._orders(check)
        # the job skipped what the users held, and their changes are kept
        self.assertFalse(orders[1].dataprotect_anonymized_at)
        self.assertEqual(orders[1].client_order_ref, "Rückruf erbeten")
        self.assertFalse(orders[2].dataprotect_anonymized_at)
        self.assertIn("Rechnung", str(orders[2].partner_id.comment))
        anonymized = orders.filtered("dataprotect_anonymized_at")
        self.assertEqual(len(anonymized), ORDERS - 2)
        self._assert_whole(check)
        runs = self._runs(check)
        self.assertNotIn("failed", [state for _t, state, _n in runs])
        skipped = check["dataprotect.run.line"].search(
            [("model", "=", "sale.order"), ("skipped_count", ">", 0)]
        )
        self.assertTrue(skipped, "the audit log says orders were left for later")

        # the next run takes them
        self._run_calls(1)
        self._assert_all_done()

    def test_users_hold_a_whole_batch(self):
        """Users hold the buyers of every order of a batch: the call changes
        nothing and tells the cron runner it did nothing, so that the runner
        does not call again at once (taking the same orders, logging a run
        each time); once they saved, the next run takes the orders."""
        user = self._connection()
        orders = self._orders(user)
        for order in orders[:6]:
            order.partner_id.comment = "<p>Ruft zurück</p>"
        user.flush_all()

        job, progress, taken = self._call_with_progress()
        self.assertEqual(taken, orders[:6].with_env(job))
        self.assertEqual(progress.done, 0)
        self.assertGreater(progress.remaining, 0)
        job.cr.commit()
        user.cr.commit()

        check = self._connection()
        self.assertFalse(any(self._orders(check).mapped("dataprotect_anonymized_at")))
        skipped = check["dataprotect.run.line"].search(
            [("model", "=", "sale.order"), ("skipped_count", "=", 6)]
        )
        self.assertTrue(skipped, "the audit log says the orders were left for later")

        self._run_calls(2)
        self._assert_all_done()

    def test_scheduled_run_and_purge_at_once(self):
        setup = self._connection()
        setup.ref("dataprotect.marketplace_amazon")._start_request("purge")
        setup.cr.commit()

        # the scheduled run takes a batch and has not committed yet, when the
        # purge starts on the same marketplace
        cron = self._connection()
        first = cron["dataprotect.job"].run_scheduled()
        self.assertEqual(len(first), 6)
        purge = self._connection()
        purge["dataprotect.job"].run_requests()
        purge.cr.commit()
        cron.cr.commit()

        check = self._connection()
        self._assert_whole(check)
        runs = self._runs(check)
        self.assertNotIn("failed", [state for _t, state, _n in runs])
        # the purge left the scheduled run's orders alone, and the order of
        # the repeat buyer whose partner the scheduled run held
        done_by_cron = sum(n for t, s, n in runs if t == "cron")
        done_by_purge = sum(n for t, s, n in runs if t == "purge")
        self.assertEqual(done_by_cron, 6)
        self.assertEqual(done_by_purge, ORDERS - 6 - 1)

        # both go on until nothing is left; no order is counted twice
        for _call in range(5):
            env = self._connection()
            env["dataprotect.job"].run_requests()
            env["dataprotect.job"].run_scheduled()
            env.cr.commit()
        check = self._connection()
        self._assert_whole(check)
        self.assertTrue(all(self._orders(check).mapped("dataprotect_anonymized_at")))
        runs = self._runs(check)
        self.assertEqual(sum(n for _t, _s, n in runs), ORDERS)
        self.assertIn(("purge", "done", ORDERS - 6), runs)

    def test_parallel_batches(self):
        """With two parallel batches, one call takes two batches, on two
        connections, each committed and logged on its own; the repeat buyer's
        two orders are in different batches: while one batch holds the buyer,
        the other leaves that order for later. Nothing is half anonymized or
        counted twice."""
        setup = self._connection()
        setup["ir.config_parameter"].set_param("dataprotect.parallel_batches", "2")
        setup.cr.commit()

        job, progress, taken = self._call_with_progress()
        self.assertEqual(len(taken), 6)
        job.cr.commit()

        check = self._connection()
        self._assert_whole(check)
        done = len(self._orders(check).filtered("dataprotect_anonymized_at"))
        # both batches in one call (one of the repeat buyer's orders may wait)
        self.assertIn(done, (ORDERS - 1, ORDERS))
        self.assertEqual(progress.done, done)
        runs = self._runs(check)
        self.assertEqual([t for t, _s, _n in runs], ["cron", "cron"])
        self.assertEqual(sum(n for _t, _s, n in runs), done)
        self.assertNotIn("failed", [s for _t, s, _n in runs])

        self._run_calls(1)
        self._assert_all_done()
        runs = self._runs(self._connection())
        self.assertEqual(sum(n for t, _s, n in runs if t == "cron"), ORDERS)

    def test_a_busy_order_leaves_its_rows_free(self):
        """A batch that finds one of its orders busy lets go of the rows it
        had locked for it: the batch holding that order's buyer (the repeat
        buyer's other order, in a parallel batch) may need to write them, and
        would otherwise wait for this batch, which waits for it (the flaky
        parallel-batches run: the second batch timed out and did nothing)."""
        main, other = self._connection(), self._connection()
        orders = self._orders(main)
        first, last = orders[0], orders[-1]
        self.assertEqual(first.partner_id, last.partner_id)
        # the other batch planned the last order first: it holds the buyer
        other.cr.execute(
            "SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE",
            [first.partner_id.id],
        )
        plan, busy = main["dataprotect.planner"].plan_free_orders(
            orders[:6], fields.Datetime.now()
        )
        self.assertEqual(busy, first)
        self.assertNotIn(first, plan.orders)
        # the busy order's delivery and invoice are free for the other batch
        for table, ids in (
            ("stock_picking", first.picking_ids.ids),
            ("account_move", first.invoice_ids.ids),
        ):
            other.cr.execute(
                f"SELECT id FROM {table} WHERE id = ANY(%s) "  # noqa: S608
                "FOR NO KEY UPDATE NOWAIT",
                [ids],
            )
            self.assertEqual(len(other.cr.fetchall()), len(ids), table)
        # the rest of the plan stays locked for this batch
        other.cr.execute(
            "SELECT id FROM stock_picking WHERE id = ANY(%s) "
            "FOR NO KEY UPDATE SKIP LOCKED",
            [plan.pickings.ids],
        )
        self.assertFalse(other.cr.fetchall())
