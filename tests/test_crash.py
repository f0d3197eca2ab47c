"""Crash safety: Odoo's cron runner works off the job in a subprocess on a copy
of the test database and is killed (SIGKILL) while a batch is writing. (A row of
the second batch is held by another connection, so that the kill comes while
that batch has written part of its work.) Every order must then be fully
anonymized or untouched, the audit log must count
only what was committed, and the next run must finish the rest and log the
interruption."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import odoo
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, config

from .common import copy_database, odoo_shell

BENCH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "bench")
ORDERS = 60
BATCH = 15

# the benchmark's data (buyer, delivery address, done delivery, posted invoice,
# tracked phone, a message with the e-mail), shipped 40 days ago; only the two
# crons of the addon may run
SET_UP = f"""
    import sys
    sys.path.insert(0, {BENCH!r})
    from bench_anonymize import build
    build(env, {ORDERS})
    crons = env["ir.cron"].search([])
    ours = env.ref("dataprotect.ir_cron_dataprotect_anonymize") | env.ref(
        "dataprotect.ir_cron_dataprotect_requests"
    )
    (crons - ours).active = False
    env["ir.config_parameter"].set_param("dataprotect.batch_size", "{BATCH}")
    # one batch per call (unless a test asks for more): the kill comes in the
    # second call's batch, after the first call's was committed
    env["ir.config_parameter"].set_param("dataprotect.parallel_batches", "1")
    env.cr.commit()
"""

# the cron runner, as Odoo's cron thread calls it
RUN_CRONS = """
    from odoo.addons.base.models.ir_cron import ir_cron
    ir_cron._process_jobs(env.cr.dbname)
"""

# per order: which of its parts are anonymized
STATE = """
    import json
    orders = env["sale.order"].search([("team_id.name", "=", "Amazon Bench")])
    rows = {}
    for order in orders:
        buyer = order.partner_id
        message = order.message_ids.filtered(lambda m: "Mail to" in str(m.body))
        tracked = env["mail.tracking.value"].search(
            [("mail_message_id.model", "=", "res.partner"),
             ("mail_message_id.res_id", "=", buyer.id)]
        )
        rows[order.id] = [
            bool(order.dataprotect_anonymized_at),
            all(order.picking_ids.mapped("dataprotect_anonymized_at")),
            all(order.invoice_ids.mapped("dataprotect_anonymized_at")),
            bool(buyer.dataprotect_anonymized_at) and buyer.name == "Anonymized"
            and not buyer.email and not buyer.street,
            order.partner_shipping_id.name == "Anonymized"
            and not order.partner_shipping_id.street,
            "@bench.example" not in str(message.body),
            not any(tracked.mapped("old_value_char")),
        ]
    runs = env["dataprotect.run"].search([])
    attachment = runs.export_attachment_id
    print(json.dumps({
        "orders": rows,
        "runs": [(r.trigger, r.state, r.order_count) for r in runs],
        "export": [attachment.checksum, attachment.file_size] if attachment else None,
    }))
"""


@tagged("post_install", "-at_install")
class TestCrash(TransactionCase):
    def _state(self, database):
        return json.loads(odoo_shell(database, STATE).strip().splitlines()[-1])

    def _kill_during_batch(self, database):
        """Start the cron runner on the database and SIGKILL it in the middle
        of its second batch: another connection holds the tracked values of
        the first buyer of that batch, so the batch, having scrubbed the
        messages already, waits there until it is killed."""
        held = odoo.sql_db.db_connect(database).cursor()
        try:
            # (locked by id: FOR UPDATE with OFFSET locks the skipped rows too)
            held.execute(
                """SELECT id FROM mail_tracking_value WHERE id = (
                       SELECT tv.id FROM mail_tracking_value tv
                         JOIN mail_message m ON m.id = tv.mail_message_id
                         JOIN sale_order so
                           ON m.model = 'res.partner' AND m.res_id = so.partner_id
                        WHERE so.dataprotect_marketplace_id IS NOT NULL
                        ORDER BY so.id OFFSET %s LIMIT 1) FOR UPDATE""",
                [BATCH],
            )
            self.assertTrue(held.fetchall())
            held.execute("SELECT xid(pg_current_xact_id())::text")
            self._start_and_kill(database, held.fetchone()[0])
        finally:
            held.rollback()
            held.close()

    def _start_and_kill(self, database, held_xid):
        command = [sys.executable, "-m", "odoo", "shell", "-c", config.rcfile]
        command += ["-d", database, "--no-http"]
        child = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        child.stdin.write(textwrap.dedent(RUN_CRONS))
        child.stdin.close()
        deadline = time.monotonic() + 300
        try:
            while time.monotonic() < deadline and child.poll() is None:
                # the job waits for the transaction that holds the row
                self.env.cr.execute(
                    SQL(
                        """SELECT 1 FROM pg_locks WHERE locktype = 'transactionid'
                              AND transactionid::text = %s AND NOT granted""",
                        held_xid,
                    )
                )
                if self.env.cr.fetchone():
                    child.send_signal(signal.SIGKILL)
                    child.wait()
                    return
                time.sleep(0.01)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        self.fail("the job never reached the held row of its second batch")

    def _assert_all_or_nothing(self, state):
        """Every order is fully anonymized or untouched; return how many are."""
        done = 0
        for order_id, parts in state["orders"].items():
            self.assertIn(
                parts,
                ([True] * len(parts), [False] * len(parts)),
                f"order {order_id} is half anonymized: {parts}",
            )
            done += parts[0]
        return done

    def test_killed_scheduled_run(self):
        # killed in the second batch: the first call's one is kept, the second
        # is not
        self._killed_scheduled_run(parallel=1, kept=BATCH)

    def test_killed_scheduled_run_with_parallel_batches(self):
        # the first call works both batches at once: killed while the second
        # one waits, neither is kept (the call's own batch is committed when
        # the call returns, which it never did)
        self._killed_scheduled_run(parallel=2, kept=0)

    def _killed_scheduled_run(self, parallel, kept):
        database = copy_database(self, "crash")
        odoo_shell(database, SET_UP)
        odoo_shell(
            database,
            f"""
            cron = env.ref("dataprotect.ir_cron_dataprotect_anonymize")
            cron.write({{"active": True, "nextcall": "2000-01-01 00:00:00"}})
            env["ir.config_parameter"].set_param(
                "dataprotect.parallel_batches", "{parallel}"
            )
            env.cr.commit()
            """,
        )
        self._kill_during_batch(database)

        state = self._state(database)
        done = self._assert_all_or_nothing(state)
        self.assertEqual(done, kept)
        logged = sum(n for trigger, s, n in state["runs"] if s == "done")
        self.assertEqual(logged, done, "the audit log counts only committed work")
        self.assertNotIn("running", [s for _t, s, _n in state["runs"]])

        # the next run finishes the rest and logs the interruption
        odoo_shell(database, RUN_CRONS)
        state = self._state(database)
        self.assertEqual(self._assert_all_or_nothing(state), ORDERS)
        states = [s for _t, s, _n in state["runs"]]
        self.assertEqual(states.count("interrupted"), 1)
        self.assertNotIn("failed", states)
        logged = sum(n for _t, s, n in state["runs"] if s == "done")
        self.assertEqual(logged, ORDERS)

    def test_killed_export_then_purge(self):
        database = copy_database(self, "crash_export")
        odoo_shell(database, SET_UP)
        odoo_shell(
            database,
            """
            env.ref("dataprotect.marketplace_amazon")._start_request("export")
            env.cr.commit()
            """,
        )
        # the first call writes the export file, the second anonymizes the
        # first batch, the third is killed
        self._kill_during_batch(database)

        state = self._state(database)
        self.assertEqual(self._assert_all_or_nothing(state), BATCH)
        export = state["export"]
        self.assertTrue(export, "the export file is kept")
        self.assertIn(["export", "running", BATCH], state["runs"])

        odoo_shell(database, RUN_CRONS)
        state = self._state(database)
        self.assertEqual(self._assert_all_or_nothing(state), ORDERS)
        self.assertEqual(state["export"], export, "the same export file")
        runs = state["runs"]
        self.assertIn(["export", "done", ORDERS], runs)
        self.assertEqual([s for _t, s, _n in runs].count("interrupted"), 1)
