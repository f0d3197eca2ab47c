# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job: the scheduled anonymization and the purge and export requests,
worked off in bounded batches that report their progress to the cron runner.

Each batch runs in a savepoint (``_guarded``) with its PostgreSQL settings;
it locks its orders first and skips those another transaction holds. While
more than one batch of due orders remains, one call works
``dataprotect.parallel_batches`` of them at once, the others in threads with
connections of their own (``BatchThread``). A call that never returned is
logged by the next one (``_check_interrupted``).
"""

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL

from ..batch_thread import BatchThread
from ..plan import Stats
from ..tools import PLAN_SETTINGS, read_columns, set_local

# Errors of a batch that met another transaction (a user's edit, another run):
# the batch is rolled back and tried again on the next call.
CONCURRENCY_ERRORS = (
    errors.SerializationFailure,
    errors.LockNotAvailable,
    errors.DeadlockDetected,
)
# How long a batch waits for a row another transaction holds before it gives
# up (and is tried again): the rows it reads at first are locked without waiting.
LOCK_TIMEOUT = "10s"
# PostgreSQL settings of a batch's transaction
BATCH_SETTINGS = {"lock_timeout": LOCK_TIMEOUT, **PLAN_SETTINGS}
# Upper bound of dataprotect.parallel_batches: each batch takes a database
# connection and about 15 MB of memory (at 1,000 orders per batch).
MAX_PARALLEL_BATCHES = 8


class DataprotectJob(models.AbstractModel):
    """The addon's API for running (each method checks that the caller is a
    Data Protection manager, or the superuser the scheduled actions run as):

    - ``run_scheduled()``: one call of the scheduled anonymization;
    - ``run_requests()``: one call of the purge, export, coverage and
      deletion requests.
    """

    _name = "dataprotect.job"
    _description = "Marketplace Personal Data Job"

    @api.model
    def _batch_size(self):
        return self.env["dataprotect.marketplace"]._int_param(
            "dataprotect.batch_size", 1000
        )

    @api.model
    def _parallel_batches(self):
        """How many batches one call of the job works at once, each on a
        connection of its own (at most MAX_PARALLEL_BATCHES)."""
        return min(
            self.env["dataprotect.marketplace"]._int_param(
                "dataprotect.parallel_batches", 2
            ),
            MAX_PARALLEL_BATCHES,
        )

    @api.model
    def run_scheduled(self):
        """Anonymize one batch of due orders, one log entry per marketplace,
        and tell the cron runner how many due orders remain. While there is
        more than one batch due, other connections take the next batches at
        the same time (``dataprotect.parallel_batches``), each committed on its
        own: Odoo's Python and PostgreSQL then work at once instead of taking
        turns."""
        self.env["dataprotect.marketplace"]._check_manager()
        Run = self.env["dataprotect.run"].sudo()
        if self._tag_first():
            return self.env["sale.order"]
        self._check_interrupted("cron")
        if Run._refuse_bad_settings("cron"):
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return self.env["sale.order"]
        now = fields.Datetime.now()
        batch_size = self._batch_size()
        orders = self._take_due_batch(now, batch_size)
        if not orders:
            Run._start("cron")._log_finished(Stats())
        helpers = []
        if len(orders) == batch_size and not self.env.registry.in_test_mode():
            # taken after this batch's orders were locked: they skip them
            helpers = [
                BatchThread(self.env, lambda env: env[self._name]._work_batch(now))
                for _n in range(self._parallel_batches() - 1)
            ]
        done, failed, retry = self._anonymize_due_batch(orders, now)
        for helper in helpers:
            helper.join()
            done += helper.done
            failed = failed or helper.failed
            retry = retry or helper.retry
        # after an error, stop until the next scheduled time; after a clash with
        # another transaction, let the cron runner call again at once; when
        # users held every order of the batch, nothing was done: the runner
        # stops too (calling again at once would take the same orders, and log
        # a run each time) and they are tried at the next scheduled time
        remaining = (
            0
            if failed
            # counted up to a batch: the cron runner only needs to know whether
            # any remain, and counting all of a backlog after every batch would
            # cost a pass over it each time
            else self.env["sale.order"]._dataprotect_due_count(
                now=now, limit=batch_size
            )
            or int(retry)
        )
        self.env["ir.cron"]._notify_progress(
            done=done or int(retry), remaining=remaining
        )
        return orders

    @api.model
    def _take_due_batch(self, now, batch_size):
        """Lock and return the next batch of due orders (skipping those another
        transaction holds)."""
        self.env.flush_all()
        self.env.cr.execute(
            self.env["sale.order"]._dataprotect_due_query(
                now, limit=batch_size, lock=True
            )
        )
        return self.env["sale.order"].browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _anonymize_due_batch(self, orders, now):
        """Anonymize the batch, one log entry per marketplace; return
        ``(orders anonymized, whether a marketplace's part failed, whether one
        clashed with another transaction)``."""
        Run = self.env["dataprotect.run"].sudo()
        done, failed, retry = 0, False, False
        # their marketplaces in SQL: through the ORM, the orders' whole rows
        # are read (about 20 ms per 1,000 orders) for one column
        marketplace_of = dict(read_columns(orders, ["dataprotect_marketplace_id"]))
        by_marketplace = {}
        for id_ in orders.ids:
            if marketplace_of[id_]:
                by_marketplace.setdefault(marketplace_of[id_], []).append(id_)
        for marketplace_id, ids in by_marketplace.items():
            marketplace = self.env["dataprotect.marketplace"].browse(marketplace_id)
            mp_orders = orders.browse(ids)
            run = Run._start("cron", marketplace)
            stats, error = self._guarded(
                run,
                lambda o=mp_orders, m=marketplace: self._anonymize_orders(o, m, now),
            )
            if error is None:
                run._log_finished(stats)
                done += stats[("sale.order", "anonymized")]
            elif isinstance(error, CONCURRENCY_ERRORS):
                retry = True
            else:
                failed = True
        return done, failed, retry

    @api.model
    def run_requests(self):
        """Work off the oldest queued purge, export-then-purge, coverage check
        or deletion request, one batch per call: an export first writes its
        file (in a call of its own, so that it is committed before anything is
        anonymized), then the exported orders are anonymized batch by batch;
        a deletion request erases the buyers of a batch of its numbers. It
        also deletes the access log's entries past their retention. Each call
        reports at least one thing done (a file, a batch, a request refused),
        or the cron runner would take it for a job without progress reports
        and stop."""
        self.env["dataprotect.marketplace"]._check_manager()
        self.env["dataprotect.access.log"].sudo()._gc(fields.Datetime.now())
        if self._tag_first():
            return None
        Run = self.env["dataprotect.run"].sudo()
        requests = Run.search(
            [
                ("trigger", "in", ("purge", "export", "coverage", "deletion")),
                ("state", "=", "running"),
            ],
            order="id",
        )
        cron = self.env["ir.cron"]
        if not requests:
            return cron._notify_progress(done=0, remaining=0)
        run = requests[0]
        self._check_interrupted(run.trigger, run.marketplace_id)
        if run._refuse_bad_settings(run.trigger, run):
            return cron._notify_progress(done=1, remaining=len(requests) - 1)
        now = fields.Datetime.now()
        marketplace = run.marketplace_id
        if run.trigger == "coverage":
            left, error = self._guarded(
                run, lambda: self.env["dataprotect.coverage"]._check(run, now)
            )
            remaining = len(requests) - 1 + (left if error is None else 0)
            return cron._notify_progress(done=1, remaining=remaining)
        if run.trigger == "deletion":
            left, error = self._guarded(
                run,
                lambda: self.env["dataprotect.deletion"]._work(run, now),
                keep_running=True,
            )
            if error is None and not left:
                run._log_finished()
            if isinstance(error, CONCURRENCY_ERRORS):
                return cron._notify_progress(done=1, remaining=len(requests))
            remaining = len(requests) - 1 + (left if error is None else 0)
            return cron._notify_progress(done=1, remaining=remaining)
        if run.trigger == "export" and not run.export_attachment_id:
            # the file is written, and committed, before anything is anonymized
            _result, error = self._guarded(
                run, lambda: self.env["dataprotect.exporter"].export(run, now)
            )
            remaining = len(requests) if error is None else len(requests) - 1
            return cron._notify_progress(done=1, remaining=remaining)
        # the next batch, without the orders another run or a user holds: read
        # in the order of the index of the active orders (ACTIVE_INDEX), not
        # joined with the table again, which walked every order below the
        # batch's ids, more of them with each batch (0.6 s at the end of a
        # purge of 100,000 orders of a million)
        query = self.env["sale.order"]._search(
            self._request_domain(run), order="id", limit=self._batch_size()
        )
        self.env.cr.execute(
            SQL(
                "%s FOR NO KEY UPDATE OF %s SKIP LOCKED",
                query.select(),
                SQL.identifier(query.table),
            )
        )
        orders = self.env["sale.order"].browse(row[0] for row in self.env.cr.fetchall())
        if orders:
            order_ok = SQL("mp.id = %s", marketplace.id)
            stats, error = self._guarded(
                run,
                lambda: self._anonymize_orders(orders, marketplace, now, order_ok),
                keep_running=True,
            )
            if isinstance(error, CONCURRENCY_ERRORS):
                # the request stays queued: the cron runner calls again
                return cron._notify_progress(done=1, remaining=len(requests))
            if error is not None:
                return cron._notify_progress(done=1, remaining=len(requests) - 1)
            run._add_stats(stats)
        remaining = orders.search_count(self._request_domain(run))
        if remaining:
            run.remaining_count = remaining
        else:
            run._log_finished()
        return cron._notify_progress(
            done=len(orders), remaining=remaining + len(requests) - 1
        )

    @api.model
    def _tag_first(self):
        """While the orders are tagged again after a marketplace's teams or
        rules changed (``dataprotect.tagger``), a call of either cron job tags
        the next batch instead of its own work: an order must not be
        anonymized, nor left alone, by a tag that is no longer true. Return
        whether it did."""
        tagger = self.env["dataprotect.tagger"]
        if not tagger._pending():
            return False
        try:
            with self.env.cr.savepoint():
                set_local(self.env.cr, {"lock_timeout": LOCK_TIMEOUT})
                more = tagger._step()
        except CONCURRENCY_ERRORS:
            # a user changed one of the batch's orders meanwhile: the next
            # call, in a transaction of its own, takes the batch again
            self.env.invalidate_all()
            more = True
        self.env["ir.cron"]._notify_progress(done=1, remaining=1 + int(more))
        return True

    @api.model
    def _guarded(self, run, batch, keep_running=False):
        """Run one batch in a savepoint; return ``(result, None)``, or, if it
        raises, roll the batch back and return ``(None, error)``. The run is
        logged as failed (the error's class only, never its text), unless the
        batch only clashed with another transaction (``CONCURRENCY_ERRORS``):
        that is logged and the batch is tried again, so a request that is
        worked off (``keep_running``) stays running."""
        try:
            with self.env.cr.savepoint():
                set_local(self.env.cr, BATCH_SETTINGS)
                return batch(), None
        except Exception as error:  # noqa: BLE001 -- reported in the log, never its text
            self.env.invalidate_all()
            if isinstance(error, CONCURRENCY_ERRORS) and keep_running:
                run._log_busy(error)
            else:
                run._log_failed(error)
            return None, error

    @api.model
    def _check_interrupted(self, trigger, marketplace=None):
        """Log the previous call of this cron job if it never returned: the
        cron runner commits a progress record before each call and resets its
        ``timed_out_counter`` after it, so a counter above 1 on this call's
        record means that the process running the previous call ended during
        it (killed, out of memory or time)."""
        progress_id = self.env.context.get("ir_cron_progress_id")
        if not progress_id:
            return
        Progress = self.env["ir.cron.progress"].sudo()
        progress = Progress.browse(progress_id)
        if progress.timed_out_counter < 2:
            return
        previous = Progress.search(
            [("cron_id", "=", progress.cron_id.id), ("id", "<", progress.id)],
            order="id desc",
            limit=1,
        )
        self.env["dataprotect.run"].sudo()._log_interrupted(
            trigger, marketplace, previous.create_date or progress.create_date
        )

    @api.model
    def _request_domain(self, run):
        """The orders a purge (all active ones of the marketplace) or an export
        (exactly the exported ones) still has to anonymize."""
        if run.trigger == "export":
            return [
                ("id", "in", run.scope_order_ids.ids),
                ("dataprotect_anonymized_at", "=", False),
            ]
        return run.marketplace_id._active_order_domain()

    @api.model
    def _work_batch(self, now):
        """One more batch of due orders, in a thread of ``run_scheduled``."""
        return self._anonymize_due_batch(
            self._take_due_batch(now, self._batch_size()), now
        )

    @api.model
    def _anonymize_orders(self, orders, marketplace, now, order_ok=None):
        """Anonymize the orders, their deliveries and invoices, and the partners
        they point at (unless another document still needs them); orders whose
        records another transaction holds are left for a later batch.

        :param order_ok: SQL condition on ``so``/``mp`` telling which other
            orders may be anonymized together with these (default: due ones).
        :return: Stats
        """
        plan, busy = self.env["dataprotect.planner"].plan_free_orders(
            orders, now, order_ok
        )
        stats = self.env["dataprotect.anonymizer"].anonymize(
            plan, marketplace._placeholder_text(), now
        )
        stats.add("sale.order", "skipped", len(busy))
        return stats
