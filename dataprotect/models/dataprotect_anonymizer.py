# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Anonymization of the personal data of marketplace orders.

Odoo does not copy addresses into documents: orders, deliveries and invoices
point at ``res.partner`` records. So the partners are anonymized in place
(written in SQL, with the stored fields the ORM computes from them, without
tracking) and every stored copy of their old values -- chatter,
tracking values, queued mails, activities, payment transactions, line texts --
is scrubbed: the old values (harvested before the partners were changed) are
replaced by the placeholder, one read and one write per table (``Scrubber``).
"""

import html
import logging
import re
import threading
import time
from collections import Counter

from markupsafe import escape
from psycopg2 import errors

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import lookup_each

_logger = logging.getLogger(__name__)

# res.partner fields cleared on anonymization (those not installed are ignored).
# ZIP, city, state and country stay, for statistics.
PARTNER_CLEAR_FIELDS = (
    "title",
    "street",
    "street2",
    "phone",
    "mobile",
    "email",
    "vat",
    "company_registry",
    "peppol_endpoint",
    "website",
    "function",
    "ref",
    "comment",
    "company_name",
    "barcode",
    "partner_latitude",
    "partner_longitude",
    "additional_info",
    "invoice_warn_msg",
    "sale_warn_msg",
    "picking_warn_msg",
    "dataprotect_merged_values",
)
# The documents' own fields: cleared, or (references) with personal values replaced.
DOCUMENT_FIELDS = {
    "sale.order": (("note", "signed_by"), ("client_order_ref", "origin", "reference")),
    "stock.picking": (("note",), ("origin",)),
    "account.move": (
        ("narration", "invoice_source_email"),
        ("ref", "payment_reference"),
    ),
}
# res.partner values whose copies are searched for and replaced elsewhere.
PARTNER_VALUE_FIELDS = (
    "name",
    "complete_name",
    "commercial_company_name",
    "company_name",
    "street",
    "street2",
    "email",
    "email_normalized",
    "phone",
    "mobile",
    "phone_sanitized",
    "vat",
    "company_registry",
    "peppol_endpoint",
    "website",
    "function",
    "ref",
    "barcode",
)
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
# PostgreSQL settings of a plan's transaction, from the plan on (reset when the
# transaction ends). JIT off: a plan looks a few thousand ids up one at a time
# (``lookup_each``), which PostgreSQL estimates so costly that it compiles the
# queries, for longer than they run: planning 2,400 orders took 7.7 s instead
# of 0.3 s; and a batch's queries, once the job has bloated the tables, cross
# jit_above_cost too (0.5 s per batch at 20,000 orders).
PLAN_SETTINGS = {"jit": "off"}
# ... and of a batch's transaction
BATCH_SETTINGS = {"lock_timeout": LOCK_TIMEOUT, **PLAN_SETTINGS}
# Values shorter than this are not searched for in texts: they would match
# ordinary words.
MIN_VALUE_LENGTH = 3
# Binary fields stored as attachments: signatures, partner images.
ATTACHMENT_FIELDS = (
    "signature",
    "image_1920",
    "image_1024",
    "image_512",
    "image_256",
    "image_128",
)
# Upper bound of dataprotect.parallel_batches: each batch takes a database
# connection and about 15 MB of memory (at 1,000 orders per batch).
MAX_PARALLEL_BATCHES = 8
INVOICE_DOCUMENT_MIMETYPES = ("application/pdf", "application/xml", "text/xml")


def _on_documents(docs):
    """Domain on ``res_model``/``res_id`` for {model: ids}."""
    return expression.OR(
        [
            [("res_model", "=", model), ("res_id", "in", ids)]
            for model, ids in docs.items()
        ]
    )


class _BatchThread(threading.Thread):
    """One more batch of due orders for a call of the job, on a connection of
    its own, committed by itself (as the call's own batch is by the cron
    runner). Started at once; ``join()`` it, then read ``done``, ``failed``
    and ``retry`` as ``_anonymize_due_batch`` returned them."""

    def __init__(self, anonymizer, now):
        super().__init__(name="dataprotect batch", daemon=True)
        env = anonymizer.env
        self.registry, self.uid, self.context = env.registry, env.uid, env.context
        self.su = env.su
        self.now = now
        self.done, self.failed, self.retry = 0, False, False
        self.start()

    def run(self):
        current = threading.current_thread()
        current.dbname, current.uid = self.registry.db_name, self.uid
        try:
            with self.registry.cursor() as cr:
                anonymizer = api.Environment(cr, self.uid, self.context, self.su)[
                    "dataprotect.anonymizer"
                ]
                orders = anonymizer._take_due_batch(self.now, anonymizer._batch_size())
                result = anonymizer._anonymize_due_batch(orders, self.now)
            # committed: count it
            self.done, self.failed, self.retry = result
        except Exception as error:  # noqa: BLE001 -- the class only, never its text
            _logger.error(
                "dataprotect: a parallel batch could not run (%s); nothing of it "
                "was kept, the next call takes its orders",
                type(error).__name__,
            )
            self.retry = True


class Stats(Counter):
    """Counts per (model, outcome): outcome is anonymized, skipped or exempted."""

    def add(self, model, outcome, count):
        if count:
            self[(model, outcome)] += count


class Plan:
    """The records one anonymization touches; ``skipped`` are the partners
    left alone because another document still needs them."""

    def __init__(self, orders, pickings, invoices, partners, skipped):
        self.orders = orders
        self.pickings = pickings
        self.invoices = invoices
        self.partners = partners
        self.skipped = skipped

    def documents(self):
        return {
            "sale.order": self.orders.ids,
            "stock.picking": self.pickings.ids,
            "account.move": self.invoices.ids,
            "res.partner": self.partners.ids,
        }


class DataprotectAnonymizer(models.AbstractModel):
    _name = "dataprotect.anonymizer"
    _description = "Marketplace Personal Data Anonymizer"

    # ------------------------------------------------------------------
    # Scheduled run
    # ------------------------------------------------------------------

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
    def _run_scheduled(self):
        """Anonymize one batch of due orders, one log entry per marketplace,
        and tell the cron runner how many due orders remain. While there is
        more than one batch due, other connections take the next batches at
        the same time (``dataprotect.parallel_batches``), each committed on its
        own: Odoo's Python and PostgreSQL then work at once instead of taking
        turns."""
        Run = self.env["dataprotect.run"].sudo()
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
                _BatchThread(self, now) for _n in range(self._parallel_batches() - 1)
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
            0 if failed else self._count_due(now, limit=batch_size) or int(retry)
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
        for marketplace in orders.dataprotect_marketplace_id:
            mp_orders = orders.filtered(
                lambda o, m=marketplace: o.dataprotect_marketplace_id == m
            )
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
    def _run_requests(self):
        """Work off the oldest queued purge or export-then-purge, one batch per
        call: an export first writes its file (in a call of its own, so that it
        is committed before anything is anonymized), then the exported orders
        are anonymized batch by batch. Each call reports at least one thing
        done (a file, a batch, a request refused), or the cron runner would
        take it for a job without progress reports and stop."""
        Run = self.env["dataprotect.run"].sudo()
        requests = Run.search(
            [("trigger", "in", ("purge", "export")), ("state", "=", "running")],
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
        if run.trigger == "export" and not run.export_attachment_id:
            # the file is written, and committed, before anything is anonymized
            _result, error = self._guarded(
                run, lambda: self.env["dataprotect.exporter"]._export(run, now)
            )
            remaining = len(requests) if error is None else len(requests) - 1
            return cron._notify_progress(done=1, remaining=remaining)
        # the next batch, without the orders another run or a user holds
        query = self.env["sale.order"]._search(self._request_domain(run))
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sale_order WHERE id IN %s ORDER BY id LIMIT %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                query.subselect(),
                self._batch_size(),
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
    def _guarded(self, run, batch, keep_running=False):
        """Run one batch in a savepoint; return ``(result, None)``, or, if it
        raises, roll the batch back and return ``(None, error)``. The run is
        logged as failed (the error's class only, never its text), unless the
        batch only clashed with another transaction (``CONCURRENCY_ERRORS``):
        that is logged and the batch is tried again, so a request that is
        worked off (``keep_running``) stays running."""
        try:
            with self.env.cr.savepoint():
                self._set_local(BATCH_SETTINGS)
                return batch(), None
        except Exception as error:  # noqa: BLE001 -- reported in the log, never its text
            self.env.invalidate_all()
            if isinstance(error, CONCURRENCY_ERRORS) and keep_running:
                run._log_busy(error)
            else:
                run._log_failed(error)
            return None, error

    @api.model
    def _set_local(self, settings):
        """Set PostgreSQL settings until the current transaction ends."""
        self.env.cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("set_config(%s, %s, true)", name, value)
                    for name, value in settings.items()
                ),
            )
        )

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
    def _count_due(self, now, limit=None):
        """How many orders are due, counting up to ``limit`` at most: counting
        all of them after every batch would cost a pass over the whole backlog
        each time, and the cron runner only needs to know whether any remain."""
        self.env.flush_all()
        query = self.env["sale.order"]._dataprotect_due_query(now, limit=limit)
        self.env.cr.execute(SQL("SELECT count(*) FROM (%s) due", query))
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Anonymization of a set of orders
    # ------------------------------------------------------------------

    def _env_notrack(self):
        """A superuser environment that neither tracks nor logs changes, and
        sees archived records: anonymizing must not create new copies of the
        old values (tracking values, chatter notes)."""
        return self.env(
            su=True,
            context=dict(
                self.env.context,
                tracking_disable=True,
                mail_notrack=True,
                mail_create_nolog=True,
                active_test=False,
                dataprotect_anonymizing=True,
            ),
        )

    @api.model
    def _anonymize_orders(self, orders, marketplace, now, order_ok=None):
        """Anonymize the orders, their deliveries and invoices, and the partners
        they point at (unless another document still needs them).

        :param order_ok: SQL condition on ``so``/``mp`` telling which other
            orders may be anonymized together with these (default: due ones).
        :return: Stats
        """
        busy = orders.browse()
        while True:
            plan = self._plan_orders(orders - busy, now, order_ok)
            in_use = self._in_use(plan)
            if not in_use:
                break
            busy |= in_use
        stats = self._apply(plan, marketplace.placeholder, now)
        # orders whose records another transaction holds: left for a later batch
        stats.add("sale.order", "skipped", len(busy))
        return stats

    @api.model
    def _in_use(self, plan):
        """Lock the rows the plan writes, without waiting; return the orders
        that touch a row another transaction holds (a user editing an order,
        a delivery, an invoice or a partner, or another run)."""
        held = {}
        for records in (plan.orders, plan.pickings, plan.invoices, plan.partners):
            held[records._name] = records.browse()
            if records:
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = ANY(%s) "
                        "FOR NO KEY UPDATE SKIP LOCKED",
                        SQL.identifier(records._table),
                        records.ids,
                    )
                )
                held[records._name] = records - records.browse(
                    row[0] for row in self.env.cr.fetchall()
                )
        if not any(held.values()):
            return plan.orders.browse()
        partners = held["res.partner"]
        family = (
            partners | partners._dataprotect_marketplace_ancestors()
        )._dataprotect_with_descendants()
        pickings = held["stock.picking"] | plan.pickings.filtered(
            lambda p: p.partner_id & family
        )
        invoices = held["account.move"] | plan.invoices.filtered(
            lambda m: (m.partner_id | m.partner_shipping_id) & family
        )
        pointing = plan.orders.filtered(
            lambda o: (o.partner_id | o.partner_invoice_id | o.partner_shipping_id)
            & family
        )
        return (
            held["sale.order"]
            | pointing
            | pickings.sale_id
            | invoices.line_ids.sale_line_ids.order_id
        ) & plan.orders

    @api.model
    def _plan_orders(self, orders, now, order_ok=None):
        """What anonymizing the orders touches: their deliveries, invoices and
        the partners they point at, less those another document still needs."""
        self._set_local(PLAN_SETTINGS)
        env = self._env_notrack()
        orders = orders.with_env(env)
        pickings = env["stock.picking"].search([("sale_id", "in", orders.ids)])
        # the orders' invoices (as sale.order.invoice_ids, without computing it)
        invoices = env["account.move"].search(
            [
                ("line_ids.sale_line_ids.order_id", "in", orders.ids),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        env.flush_all()
        env.cr.execute(
            SQL(
                """
            SELECT unnest(ARRAY[partner_id, partner_invoice_id, partner_shipping_id])
              FROM sale_order WHERE id = ANY(%(orders)s)
            UNION SELECT partner_id FROM stock_picking WHERE id = ANY(%(pickings)s)
            UNION SELECT unnest(ARRAY[partner_id, partner_shipping_id])
              FROM account_move WHERE id = ANY(%(invoices)s)
            """,
                orders=orders.ids,
                pickings=pickings.ids,
                invoices=invoices.ids,
            )
        )
        pointed = env["res.partner"].browse(
            {row[0] for row in env.cr.fetchall() if row[0]}
        )
        # a marketplace buyer kept for a child contact that was still needed
        # goes with that contact's last document
        pointed |= pointed._dataprotect_marketplace_ancestors()
        partners = env["res.partner"].search(
            [
                ("id", "in", pointed._dataprotect_with_descendants().ids),
                ("dataprotect_anonymized_at", "=", False),
            ],
            order="id",
        )
        documents = {
            "sale.order": orders.ids,
            "stock.picking": pickings.ids,
            "account.move": invoices.ids,
        }
        partners, skipped = self._split_shared_partners(
            partners, order_ok, now, documents
        )
        return Plan(orders, pickings, invoices, partners, skipped)

    @api.model
    def _plan_partners(self, partners):
        """What erasing these people touches: the partners with their child
        contacts and every order, delivery and invoice that points at them."""
        self._set_local(PLAN_SETTINGS)
        env = self._env_notrack()
        partners = partners.with_env(env)._dataprotect_with_descendants()
        ids = partners.ids
        orders = env["sale.order"].search(
            [
                "|",
                "|",
                ("partner_id", "in", ids),
                ("partner_invoice_id", "in", ids),
                ("partner_shipping_id", "in", ids),
            ]
        )
        pickings = env["stock.picking"].search(
            ["|", ("partner_id", "in", ids), ("sale_id", "in", orders.ids)]
        )
        invoices = orders.invoice_ids | env["account.move"].search(
            [
                ("move_type", "!=", "entry"),
                "|",
                ("partner_id", "in", ids),
                ("partner_shipping_id", "in", ids),
            ]
        )
        return Plan(orders, pickings, invoices, partners, partners.browse())

    @api.model
    def _apply(self, plan, placeholder, now):
        """Anonymize what the plan holds; return the Stats."""
        started = time.monotonic()
        env = self._env_notrack()
        orders, pickings, invoices, partners = (
            plan.orders,
            plan.pickings,
            plan.invoices,
            plan.partners,
        )
        stats = Stats()
        stats.add("res.partner", "skipped", len(plan.skipped))
        lines = orders.order_line
        texts = self._partner_values(partners) + self._gift_values(lines)
        scrubber = Scrubber(env, texts, placeholder)
        docs = plan.documents()
        message_ids = self._message_ids(docs, partners.ids)
        self._scrub_chatter(scrubber, docs, message_ids, partners.ids, stats)
        self._scrub_lines(scrubber, lines, pickings, invoices, stats)
        self._scrub_copies(scrubber, orders, partners, stats)
        self._remove_attachments(env, docs, stats)

        # the documents themselves, and the partners
        marker = {"dataprotect_anonymized_at": now}
        writes = []
        for records in (orders, pickings, invoices):
            clear, replace = DOCUMENT_FIELDS[records._name]
            stats.add(records._name, "anonymized", len(records))
            scrubber.update(records._name, records.ids, replace=replace)
            cleared = dict.fromkeys(scrubber._stored(records, clear), False)
            writes.append((records, cleared | marker))
        writes.append(
            (partners, self._partner_clear_values(partners, placeholder, now))
        )
        self._write_rows(writes)
        self._anonymize_bank_accounts(partners, placeholder)
        stats.add("res.partner", "anonymized", len(partners))
        env.flush_all()
        _logger.info(
            "dataprotect: anonymized %s orders, %s partners (%s skipped as shared) "
            "in %.2fs",
            len(orders),
            len(partners),
            len(plan.skipped),
            time.monotonic() - started,
        )
        return stats

    # ------------------------------------------------------------------
    # Partners
    # ------------------------------------------------------------------

    @api.model
    def _split_shared_partners(self, partners, order_ok, now, documents=None):
        """Split the partners into those that may be anonymized and those that
        another document still needs (a marketplace order that is not due, any
        non-marketplace document, a user or a company). A partner is kept too
        when one of its descendants is kept, because writing a partner
        propagates to its child contacts.

        :param documents: {model: ids} anonymized together with the partners,
            which need no check
        """
        if not partners:
            return partners, partners
        if order_ok is None:
            order_ok = self.env["sale.order"]._dataprotect_due_condition(now)
        documents = documents or {}
        ok = SQL(
            """EXISTS (SELECT 1 FROM dataprotect_marketplace mp
                       WHERE mp.id = so.dataprotect_marketplace_id AND mp.active
                         AND %s)""",
            order_ok,
        )

        def pointing(table, column, condition):
            """The partners a row of ``table`` points at by ``column``, where
            ``condition`` holds (``t`` is the row)."""
            return lookup_each(partners.ids, table, column, SQL("c.id"), condition)

        other_order = SQL(
            """t.dataprotect_anonymized_at IS NULL AND NOT t.id = ANY(%s)
               AND NOT EXISTS (SELECT 1 FROM sale_order so
                               WHERE so.id = t.id AND %s)""",
            documents.get("sale.order", []),
            ok,
        )
        other_picking = SQL(
            """t.dataprotect_anonymized_at IS NULL AND NOT t.id = ANY(%s)
               AND NOT EXISTS (SELECT 1 FROM sale_order so
                               WHERE so.id = t.sale_id AND %s)""",
            documents.get("stock.picking", []),
            ok,
        )
        other_invoice = SQL(
            """t.move_type != 'entry' AND t.dataprotect_anonymized_at IS NULL
               AND NOT t.id = ANY(%s)
               AND NOT EXISTS (
                   SELECT 1 FROM account_move_line aml
                   JOIN sale_order_line_invoice_rel rel
                     ON rel.invoice_line_id = aml.id
                   JOIN sale_order_line sol ON sol.id = rel.order_line_id
                   JOIN sale_order so ON so.id = sol.order_id
                   WHERE aml.move_id = t.id AND %s)""",
            documents.get("account.move", []),
            ok,
        )
        seeds = [
            pointing("res_users", "partner_id", SQL("TRUE")),
            pointing("res_company", "partner_id", SQL("TRUE")),
            *(
                pointing("sale_order", column, other_order)
                for column in (
                    "partner_id",
                    "partner_invoice_id",
                    "partner_shipping_id",
                )
            ),
            pointing("stock_picking", "partner_id", other_picking),
            *(
                pointing("account_move", column, other_invoice)
                for column in ("partner_id", "partner_shipping_id")
            ),
        ]
        if (
            "payment.transaction" in self.env
            and "transaction_ids" in self.env["sale.order"]._fields
        ):
            other_transaction = SQL(
                """NOT EXISTS (
                    SELECT 1 FROM sale_order_transaction_rel rel
                    JOIN sale_order so ON so.id = rel.sale_order_id
                    WHERE rel.transaction_id = t.id AND %s)""",
                ok,
            )
            seeds.append(
                pointing("payment_transaction", "partner_id", other_transaction)
            )
        self.env.flush_all()
        # a blocked partner blocks its ancestors too
        self.env.cr.execute(
            SQL(
                """
            WITH RECURSIVE blocked(id) AS (
                %s
                UNION SELECT p.parent_id FROM res_partner p
                        JOIN blocked b ON p.id = b.id
                       WHERE p.parent_id IS NOT NULL
            ) SELECT id FROM blocked
            """,
                SQL(" UNION ").join(seeds),
            )
        )
        blocked_ids = {row[0] for row in self.env.cr.fetchall()}
        skipped = partners.filtered(lambda p: p.id in blocked_ids)
        return partners - skipped, skipped

    @api.model
    def _partner_values(self, partners):
        """The personal values of the partners (and their bank accounts), and
        those of the partners merged into them."""
        if not partners:
            return []
        fields_ = [
            partners._fields[f] for f in PARTNER_VALUE_FIELDS if f in partners._fields
        ]
        # plain columns in one query; the others (company-dependent) through the ORM
        plain = [
            f.name
            for f in fields_
            if f.store and f.column_type and not f.company_dependent and not f.translate
        ]
        others = [f.name for f in fields_ if f.name not in plain]
        partners.flush_recordset([*plain, "dataprotect_merged_values"])
        self.env.cr.execute(
            SQL(
                "SELECT %s, dataprotect_merged_values FROM res_partner "
                "WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(f) for f in plain),
                partners.ids,
            )
        )
        values = []
        for *row, merged in self.env.cr.fetchall():
            values += row
            # the values of partners merged into this one (their copies came along)
            values += merged or ()
        if others:
            values += [
                v for row in partners.read(others, load=None) for v in row.values()
            ]
        if "bank_ids" in partners._fields:
            for row in partners.bank_ids.read(
                ["acc_number", "sanitized_acc_number", "acc_holder_name"]
            ):
                values.extend(row.values())
        return [v for v in values if isinstance(v, str)]

    @api.model
    def _partner_clear_values(self, partners, placeholder, now):
        """What anonymizing sets on the partners. Images are removed with the
        other attachments."""
        values = {
            fname: False
            for fname in PARTNER_CLEAR_FIELDS
            if fname in partners._fields and partners._fields[fname].store
        }
        values.update(name=placeholder, dataprotect_anonymized_at=now)
        return values

    @api.model
    def _write_rows(self, writes):
        """Write ``writes``, pairs ``(records, values)`` (the same values on
        all records of a pair), with one UPDATE per table and set of changed
        fields, that also sets the stored fields Odoo computes from these
        values (complete name, normalized e-mail and phone, an invoice's
        partner name). The ORM computes those, with its own code, from the new
        values in its cache; only the writing is done here.

        An ORM ``write()`` would write each row again for the fields computed
        later, 100 rows per statement, and run the models' ``write()``: a
        partner's syncs its address to its child contacts one by one, and they
        are all anonymized here anyway. Values computed for other records are
        left to the ORM's flush."""
        env = self.env
        env.flush_all()
        writes = [(records, values) for records, values in writes if records]
        # fields that change on some record: their dependents are recomputed
        for records, values in writes:
            fields_ = [records._fields[fname] for fname in values]
            env.cr.execute(
                SQL(
                    "SELECT %s FROM %s WHERE id = ANY(%s)",
                    SQL(", ").join(
                        SQL(
                            "bool_or(%s IS DISTINCT FROM %s)",
                            SQL.identifier(field.name),
                            field.convert_to_column(values[field.name], records),
                        )
                        for field in fields_
                    ),
                    SQL.identifier(records._table),
                    records.ids,
                )
            )
            changed = zip(fields_, env.cr.fetchone(), strict=True)
            # before the new values are in the cache: the searches it makes
            # must not write them yet
            records.modified([field.name for field, held in changed if held])
        log = {"write_uid": env.uid, "write_date": env.cr.now()}
        writes = [
            (records, values | log if records._log_access else values)
            for records, values in writes
        ]
        for records, values in writes:
            for fname, value in values.items():
                records._fields[fname].write(records, value)
        env._recompute_all()
        for records, values in writes:
            self._write_rows_computed(records, values)

    @api.model
    def _write_rows_computed(self, records, values):
        """The UPDATEs of ``_write_rows`` for one table: ``values`` and the
        fields the ORM has computed (dirty in its cache) for these records,
        one UPDATE per set of such fields."""
        cache = self.env.cache
        ids = set(records.ids)
        fields_ = [records._fields[fname] for fname in values]
        computed = [
            field
            for field in cache.get_dirty_fields()
            if field.model_name == records._name
            and field.name not in values
            and not field.company_dependent
            and not field.translate
            and field not in records.pool.field_depends_context
        ]
        # the records' dirty fields are written here, other records' are left
        own = {}
        for field in [*fields_, *computed]:
            dirty = cache.clear_dirty_field(field)
            others = records.browse(id_ for id_ in dirty if id_ not in ids)
            if others:
                cache.update_raw(
                    others,
                    field,
                    [cache.get(record, field) for record in others],
                    dirty=True,
                )
            if field in computed:
                for id_ in ids.intersection(dirty):
                    own.setdefault(id_, []).append(field)
        groups = {}
        for id_ in records.ids:
            groups.setdefault(tuple(own.get(id_, ())), []).append(id_)
        constants = [
            SQL(
                "%s = %s",
                SQL.identifier(field.name),
                field.convert_to_column(values[field.name], records),
            )
            for field in fields_
        ]
        for computed_fields, group_ids in groups.items():
            group = records.browse(group_ids)
            if not computed_fields:
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET %s WHERE id = ANY(%s)",
                        SQL.identifier(records._table),
                        SQL(", ").join(constants),
                        group.ids,
                    )
                )
                continue
            rows = [
                (
                    record.id,
                    *(
                        field.convert_to_column_update(cache.get(record, field), record)
                        for field in computed_fields
                    ),
                )
                for record in group
            ]
            _update_rows(self.env.cr, records, computed_fields, rows, constants)

    @api.model
    def _anonymize_bank_accounts(self, partners, placeholder):
        if "bank_ids" in partners._fields and partners.bank_ids:
            # in SQL: res.partner.bank logs its changes on the partner even
            # with tracking disabled, which would copy the old account number
            banks = partners.bank_ids
            banks.flush_recordset()
            self.env.cr.execute(
                SQL(
                    """
                UPDATE res_partner_bank
                   SET acc_number = %(placeholder)s || ' ' || id,
                       sanitized_acc_number = upper(
                           regexp_replace(%(placeholder)s || id, '\\W+', '', 'g')),
                       acc_holder_name = NULL, allow_out_payment = FALSE, active = FALSE
                 WHERE id = ANY(%(ids)s)
                """,
                    placeholder=placeholder,
                    ids=banks.ids,
                )
            )
            banks.invalidate_recordset()

    # ------------------------------------------------------------------
    # Texts
    # ------------------------------------------------------------------

    @api.model
    def _gift_fields(self, lines):
        """The gift message fields of the lines' marketplaces."""
        fields_ = lines.order_id.dataprotect_marketplace_id.gift_message_field_id
        return [f for f in fields_ if f.name in lines._fields]

    @api.model
    def _gift_values(self, lines):
        """Texts the buyer typed on the order lines: custom attribute values and
        the marketplace's gift message field."""
        values = []
        if "product_custom_attribute_value_ids" in lines._fields:
            values += lines.product_custom_attribute_value_ids.mapped("custom_value")
        for field in self._gift_fields(lines):
            if field.ttype != "html":
                values += lines.mapped(field.name)
        return [v for v in values if isinstance(v, str)]

    @api.model
    def _scrub_lines(self, scrubber, lines, pickings, invoices, stats):
        env = scrubber.env
        if "product_custom_attribute_value_ids" in lines._fields:
            custom = lines.product_custom_attribute_value_ids.filtered("custom_value")
            scrubber.update(
                "product.attribute.custom.value", custom.ids, clear=("custom_value",)
            )
        for field in self._gift_fields(lines):
            stats.add(
                "sale.order.line",
                "anonymized",
                scrubber.update("sale.order.line", lines.ids, clear=(field.name,)),
            )
        stats.add(
            "sale.order.line",
            "anonymized",
            scrubber.update("sale.order.line", lines.ids, replace=("name",)),
        )
        moves = env["stock.move"].search(
            ["|", ("picking_id", "in", pickings.ids), ("sale_line_id", "in", lines.ids)]
        )
        stats.add(
            "stock.move",
            "anonymized",
            scrubber.update("stock.move", moves.ids, replace=("description_picking",)),
        )
        stats.add(
            "stock.move.line",
            "anonymized",
            scrubber.update(
                "stock.move.line",
                moves.move_line_ids.ids,
                replace=("description_picking",),
            ),
        )
        hashed = invoices.search(
            [("id", "in", invoices.ids), ("inalterable_hash", "!=", False)]
        )
        stats.add(
            "account.move.line",
            "exempted",
            scrubber.count("account.move.line", hashed.line_ids.ids, ("name",)),
        )
        stats.add(
            "account.move.line",
            "anonymized",
            scrubber.update(
                "account.move.line", (invoices - hashed).line_ids.ids, replace=("name",)
            ),
        )

    @api.model
    def _message_ids(self, docs, partner_ids):
        """Messages on the documents, by or to the partners."""
        cr = self.env.cr
        # one query per condition, so that each uses its index (with OR, the
        # whole table is scanned, once per batch)
        queries = [
            SQL(
                "SELECT id FROM mail_message WHERE model = %s AND res_id = ANY(%s)",
                model,
                ids,
            )
            for model, ids in docs.items()
            if ids
        ]
        queries += [
            SQL("SELECT id FROM mail_message WHERE author_id = ANY(%s)", partner_ids),
            SQL(
                "SELECT mail_message_id FROM mail_message_res_partner_rel "
                "WHERE res_partner_id = ANY(%s)",
                partner_ids,
            ),
        ]
        cr.execute(SQL(" UNION ").join(queries))
        return [row[0] for row in cr.fetchall()]

    @api.model
    def _audit_protected_message_ids(self, message_ids):
        """The messages the accounting audit trail forbids to alter (as
        ``mail.message._except_audit_log`` in ``account`` decides)."""
        if (
            not message_ids
            or "check_account_audit_trail" not in self.env["res.company"]._fields
        ):
            return set()
        self.env.cr.execute(
            SQL(
                """
            SELECT m.id FROM mail_message m
            JOIN account_move am ON m.model = 'account.move' AND am.id = m.res_id
            JOIN res_company c ON c.id = am.company_id
            WHERE m.id = ANY(%(ids)s) AND c.check_account_audit_trail
              AND am.posted_before
            UNION
            SELECT m.id FROM mail_message m
            JOIN res_partner p ON m.model = 'res.partner' AND p.id = m.res_id
            LEFT JOIN res_company pc ON pc.id = p.company_id
            WHERE m.id = ANY(%(ids)s)
              AND (p.company_id IS NULL OR pc.check_account_audit_trail)
              AND (p.customer_rank > 0 OR p.supplier_rank > 0)
              AND EXISTS (SELECT 1 FROM account_move am
                          JOIN res_company c ON c.id = am.company_id
                          WHERE am.partner_id = p.id AND c.check_account_audit_trail)
            """,
                ids=message_ids,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _scrub_chatter(self, scrubber, docs, message_ids, partner_ids, stats):
        env = scrubber.env
        protected = self._audit_protected_message_ids(message_ids)
        free = [mid for mid in message_ids if mid not in protected]
        changed = scrubber.update(
            "mail.message",
            free,
            replace=("body", "subject", "record_name", "email_from", "reply_to"),
        )
        changed += scrubber.update(
            "mail.message",
            list(protected),
            replace=("record_name", "email_from", "reply_to"),
        )
        stats.add("mail.message", "anonymized", changed)
        stats.add(
            "mail.message",
            "exempted",
            scrubber.count("mail.message", list(protected), ("body", "subject")),
        )
        # tracked changes of the partners themselves (name, e-mail, phone,
        # address) hold earlier values too, which no harvest knows: cleared
        tracking = env["mail.tracking.value"].search(
            [("mail_message_id", "in", message_ids)]
        )
        own = tracking.search(
            [
                ("id", "in", tracking.ids),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "in", partner_ids),
            ]
        )
        texts = ("old_value_char", "new_value_char", "old_value_text", "new_value_text")
        stats.add(
            "mail.tracking.value",
            "anonymized",
            scrubber.update("mail.tracking.value", own.ids, clear=texts)
            + scrubber.update(
                "mail.tracking.value", (tracking - own).ids, replace=texts
            ),
        )
        stats.add(
            "mail.mail",
            "anonymized",
            scrubber.update(
                "mail.mail",
                env["mail.mail"].search([("mail_message_id", "in", message_ids)]).ids,
                replace=("body_html", "email_to", "email_cc", "reply_to", "headers"),
            ),
        )
        stats.add(
            "mail.notification",
            "anonymized",
            scrubber.update(
                "mail.notification",
                env["mail.notification"]
                .search([("mail_message_id", "in", message_ids)])
                .ids,
                replace=("sms_number", "failure_reason"),
            ),
        )
        if "sms.sms" in env:
            sms = env["sms.sms"].search(
                [
                    "|",
                    ("mail_message_id", "in", message_ids),
                    ("partner_id", "in", partner_ids),
                ]
            )
            stats.add(
                "sms.sms",
                "anonymized",
                scrubber.update("sms.sms", sms.ids, replace=("number", "body")),
            )
        activities = env["mail.activity"].search(_on_documents(docs))
        stats.add(
            "mail.activity",
            "anonymized",
            scrubber.update(
                "mail.activity", activities.ids, replace=("res_name", "summary", "note")
            ),
        )

    @api.model
    def _scrub_copies(self, scrubber, orders, partners, stats):
        """Stored copies of partner data that an ORM write does not refresh."""
        env = scrubber.env
        if "payment.transaction" in env:
            transactions = env["payment.transaction"].search(
                [
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("sale_order_ids", "in", orders.ids),
                ]
            )
            stats.add(
                "payment.transaction",
                "anonymized",
                scrubber.update(
                    "payment.transaction",
                    transactions.ids,
                    clear=("partner_email", "partner_address", "partner_phone"),
                    replace=("partner_name",),
                ),
            )
        if "snailmail.letter" in env:
            letters = env["snailmail.letter"].search(
                [("partner_id", "in", partners.ids)]
            )
            stats.add(
                "snailmail.letter",
                "anonymized",
                scrubber.update(
                    "snailmail.letter", letters.ids, clear=("street", "street2")
                ),
            )

    @api.model
    def _remove_attachments(self, env, docs, stats):
        """Delete the documents rendered for orders, deliveries and partners
        (order confirmations, delivery slips), signatures and partner images;
        keep invoice PDF/XML documents, which tax law requires to retain."""
        Attachment = env["ir.attachment"]
        attachments = Attachment.search(
            expression.AND(
                [
                    _on_documents(docs),
                    [("res_field", "in", [False, *ATTACHMENT_FIELDS])],
                ]
            )
        )
        kept = attachments.filtered(
            lambda a: (
                a.res_model == "account.move"
                and a.mimetype in INVOICE_DOCUMENT_MIMETYPES
            )
        )
        stats.add("ir.attachment", "exempted", len(kept))
        stats.add("ir.attachment", "anonymized", len(attachments - kept))
        (attachments - kept).unlink()
        for model in docs:
            env[model].invalidate_model(
                [fname for fname in ATTACHMENT_FIELDS if fname in env[model]._fields]
            )


def _update_rows(cr, model, fields_, rows, assignments=()):
    """One UPDATE of the model's table: on each row of ``rows``, ``(id,
    *values)``, set ``fields_`` to the values, and the ``assignments`` (SQL)."""
    cr.execute(
        SQL(
            # t.id = ANY(...) too: with the join alone, the whole table is
            # scanned (once per batch)
            "UPDATE %s t SET %s FROM (VALUES %s) AS v(id, %s) "
            "WHERE t.id = v.id AND t.id = ANY(%s)",
            SQL.identifier(model._table),
            SQL(", ").join(
                [
                    *assignments,
                    *(
                        SQL(
                            "%s = v.%s::%s",
                            SQL.identifier(field.name),
                            SQL.identifier(field.name),
                            SQL(field.column_type[1]),
                        )
                        for field in fields_
                    ),
                ]
            ),
            # one SQL object for all rows: one per value cost about 0.1 s per
            # 1,000 orders
            SQL(
                ", ".join(
                    ["(" + ", ".join(["%s"] * (len(fields_) + 1)) + ")"] * len(rows)
                ),
                *(value for row in rows for value in row),
            ),
            SQL(", ").join(SQL.identifier(field.name) for field in fields_),
            [row[0] for row in rows],
        )
    )


def _trie_pattern(words):
    """One regular expression matching any of the words (compared
    case-insensitively), as whole words where they begin or end with a letter
    or digit. Shaped as a trie (common prefixes shared), so that matching
    costs about one step per character, however many words there are."""
    trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def render(node, last):
        parts = [
            re.escape(char) + render(child, char)
            for char, child in sorted(node.items())
            if char
        ]
        if "" in node:
            parts.append(r"\b" if last.isalnum() else "")
        if len(parts) == 1:
            return parts[0]
        return "(?:" + "|".join(parts) + ")"

    branches = []
    for bounded in (True, False):
        sub = {c: n for c, n in trie.items() if c and c.isalnum() == bounded}
        if sub:
            branches.append((r"\b" if bounded else "") + render(sub, ""))
    return re.compile("|".join(branches), re.IGNORECASE) if branches else None


class Scrubber:
    """Replaces known personal values in text columns.

    The values are matched literally, both as typed and HTML-escaped; the
    placeholder replaces them, HTML-escaped in HTML columns, so it is never
    rendered. Values up to LONG_VALUE characters are matched case-insensitively
    and as whole words; longer ones exactly as they are. Columns are cleared
    with one UPDATE per table; texts are read, replaced in Python and written
    back with one UPDATE per table.

    Matching goes token by token (a token is a run of word characters, or one
    other character): a value can only match from the start of a token to the
    end of one, so at each token that begins some value, the spans of as many
    tokens as those values have are looked up in a set. That costs a few set
    lookups per token, and nothing has to be compiled per batch."""

    HTML_FIELDS = frozenset({"body", "body_html", "note", "narration", "comment"})
    LONG_VALUE = 200
    TOKEN = re.compile(r"\w+|[^\w\s]")

    def __init__(self, env, values, placeholder):
        self.env = env
        self.placeholder = placeholder
        variants = set()
        for value in values:
            value = value.strip()
            if len(value) >= MIN_VALUE_LENGTH:
                # as typed, and HTML-escaped the ways Odoo and markupsafe do it
                variants.update(
                    {
                        value,
                        str(escape(value)),
                        html.escape(value, quote=False),
                        html.escape(value),
                    }
                )
        self.literals = sorted(
            (v for v in variants if len(v) > self.LONG_VALUE), key=len, reverse=True
        )
        self.words = {v.lower() for v in variants if len(v) <= self.LONG_VALUE}
        # first token -> the numbers of tokens of the values starting with it,
        # most first (the longest match wins)
        counts = {}
        for word in self.words:
            tokens = self.TOKEN.findall(word)
            counts.setdefault(tokens[0], set()).add(len(tokens))
        self.counts = {token: sorted(n, reverse=True) for token, n in counts.items()}
        self._pattern = None

    def __bool__(self):
        return bool(self.words or self.literals)

    def _replace_text(self, text, fname):
        """The text with every value replaced by the placeholder."""
        if not text:
            return text
        placeholder = (
            str(escape(self.placeholder))
            if fname in self.HTML_FIELDS
            else self.placeholder
        )
        for literal in self.literals:
            text = text.replace(literal, placeholder)
        return self._replace_words(text, placeholder) if self.words else text

    def _replace_words(self, text, placeholder):
        lower = text.lower()
        if len(lower) != len(text):
            # lower-casing changed the length (a few letters do): the positions
            # below would not fit, use a regular expression instead
            if self._pattern is None:
                self._pattern = _trie_pattern(self.words)
            return self._pattern.sub(lambda _match: placeholder, text)
        words = self.TOKEN.findall(lower)
        # most texts have no token that begins some value (checked in C)
        if self.counts.keys().isdisjoint(words):
            return text
        hits = [i for i, word in enumerate(words) if word in self.counts]
        spans = [match.span() for match in self.TOKEN.finditer(lower)]
        parts = []
        last = 0
        for i in hits:
            start = spans[i][0]
            if start < last:
                continue
            for count in self.counts[words[i]]:
                if i + count > len(spans):
                    continue
                end = spans[i + count - 1][1]
                if lower[start:end] in self.words:
                    parts += (text[last:start], placeholder)
                    last = end
                    break
        if not parts:
            return text
        parts.append(text[last:])
        return "".join(parts)

    @staticmethod
    def _stored(model, fnames):
        return [f for f in fnames if f in model._fields and model._fields[f].store]

    def _read(self, model, ids, fnames):
        model.flush_model(fnames)
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(f) for f in fnames),
                SQL.identifier(model._table),
                list(ids),
            )
        )
        return self.env.cr.fetchall()

    def _changed_rows(self, model, ids, fnames):
        """(id, new texts) of the rows whose texts hold one of the values."""
        changed = []
        for row in self._read(model, ids, fnames):
            texts = [
                self._replace_text(t, f) for t, f in zip(row[1:], fnames, strict=True)
            ]
            if texts != list(row[1:]):
                changed.append((row[0], *texts))
        return changed

    def update(self, model_name, ids, clear=(), replace=()):
        """Clear ``clear`` columns and replace the values in ``replace``
        columns on the rows ``ids``; return how many rows changed."""
        if not ids or model_name not in self.env:
            return 0
        model = self.env[model_name]
        clear = self._stored(model, clear)
        replace = self._stored(model, replace) if self else []
        changed_ids = set()
        if clear:
            model.flush_model(clear)
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE id = ANY(%s) AND (%s) RETURNING id",
                    SQL.identifier(model._table),
                    SQL(", ").join(SQL("%s = NULL", SQL.identifier(f)) for f in clear),
                    list(ids),
                    SQL(" OR ").join(
                        SQL("%s IS NOT NULL", SQL.identifier(f)) for f in clear
                    ),
                )
            )
            changed_ids.update(row[0] for row in self.env.cr.fetchall())
        rows = self._changed_rows(model, ids, replace) if replace else []
        if rows:
            _update_rows(self.env.cr, model, [model._fields[f] for f in replace], rows)
            changed_ids.update(row[0] for row in rows)
        model.invalidate_model([*clear, *replace])
        return len(changed_ids)

    def count(self, model_name, ids, fnames):
        """How many rows still hold one of the values (where we may not change them)."""
        if not ids or not self or model_name not in self.env:
            return 0
        model = self.env[model_name]
        fnames = self._stored(model, fnames)
        return len(self._changed_rows(model, ids, fnames)) if fnames else 0
