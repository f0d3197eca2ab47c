# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time

from odoo import Command, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from .. import coverage, personal_data
from ..scrubber import MIN_VALUE_LENGTH

# How long one call of a coverage check searches before it leaves the rest of
# the columns to the next call (the cron runner's calls have a time limit).
CALL_SECONDS = 20.0


class DataprotectCoverage(models.AbstractModel):
    """The coverage check on the seller's own database, a request worked off
    by the requests cron (``dataprotect.job.run_requests``) call by call:
    each call anonymizes the checked order in a savepoint, searches the next
    text columns of the database for the values it removed (for up to
    ``CALL_SECONDS``), after the last one the files of its records, rolls
    back, and logs the places that still hold a value (counts only) on the
    run, with those the law keeps told apart."""

    _name = "dataprotect.coverage"
    _description = "Data Protection Coverage Check"

    @api.model
    def _check(self, run, now):
        """One call of the check ``run``; return how many columns are left."""
        marketplace = run.marketplace_id
        order = run.scope_order_ids
        if not order:
            order = self._checked_order(marketplace, now)
            run.scope_order_ids = order
            if not order:
                run._log_finished()
                return 0
        elif order.dataprotect_anonymized_at:
            run.write(
                {
                    "state": "failed",
                    "date_end": fields.Datetime.now(),
                    "error": self.env._(
                        "The checked order was anonymized during the check (by "
                        "the scheduled action or a purge): check again."
                    ),
                }
            )
            return 0
        columns = coverage.text_columns(self.env.cr)
        if run.coverage_resume:
            resume = tuple(run.coverage_resume.split(".", 1))
            columns = [column for column in columns if column > resume]
        plan = self.env["dataprotect.planner"].plan_orders(
            order, now, SQL("mp.id = %s", marketplace.id)
        )
        places, searched = self._places(
            plan,
            marketplace._placeholder_text(),
            now,
            columns,
        )
        left = len(columns) - searched
        run.write(
            {
                "coverage_resume": ".".join(columns[searched - 1])
                if searched
                else run.coverage_resume,
                "remaining_count": left,
                "place_ids": [
                    Command.create(
                        {
                            "kind": kind,
                            "table_name": table,
                            "column_name": column,
                            "record_count": count,
                            "exempted_count": exempted,
                        }
                    )
                    for (kind, table, column), (count, exempted) in sorted(
                        places.items()
                    )
                ],
            }
        )
        if not left:
            run._log_finished()
        return left

    @api.model
    def _checked_order(self, marketplace, now):
        """The order to check: the marketplace's next due one, else its
        oldest active one."""
        orders = self.env["sale.order"]
        self.env.cr.execute(
            orders._dataprotect_due_query(now, [marketplace.id], limit=1)
        )
        return orders.browse([row[0] for row in self.env.cr.fetchall()]) or (
            orders.search(marketplace._active_order_domain(), order="id", limit=1)
        )

    @api.model
    def _places(self, plan, placeholder, now, columns):
        """``({(kind, table, column or file name): (rows left, rows the law
        keeps)}, how many of the columns were searched)``: what is left of
        the plan's people once it is anonymized (then rolled back), in the
        columns (as many as ``CALL_SECONDS`` allow, one at least) and, once
        they are all searched, in the files of the plan's records."""
        anonymizer = self.env["dataprotect.anonymizer"]
        values = [
            value
            for value in anonymizer.plan_values(plan)
            if len(value.strip()) >= MIN_VALUE_LENGTH
        ]
        cr = self.env.cr
        places = {}
        searched = 0
        with anonymizer.dry_run(plan, placeholder, now):
            plan.env.flush_all()
            models_ = self._models_by_table()
            deadline = time.monotonic() + CALL_SECONDS
            for table, column in columns:
                if searched and time.monotonic() > deadline:
                    break
                searched += 1
                if table in models_:
                    # the rows, once: the law may keep some of them
                    ids = coverage.column_ids(cr, values, table, column)
                    count = len(ids)
                    records = plan.env[models_[table]].browse(ids)
                    kept = len(records._dataprotect_exempt_records()) if ids else 0
                else:
                    count = coverage.column_count(cr, values, table, column)
                    kept = 0
                if count:
                    places[("column", table, column)] = (count - kept, kept)
            if searched == len(columns):
                # binary fields' files too (the invoice's PDF)
                files = plan.env["ir.attachment"].search(
                    expression.AND(
                        [
                            plan.on_documents(),
                            [
                                "|",
                                ("res_field", "=", False),
                                ("res_field", "!=", False),
                            ],
                        ]
                    )
                )
                kept = files._dataprotect_exempt_records()
                # the file's id, never its name (which may name the person)
                for attachment in coverage.file_places(files, values):
                    places[("file", attachment.res_model, f"#{attachment.id}")] = (
                        (0, 1) if attachment in kept else (1, 0)
                    )
        return places, searched

    @api.model
    def _models_by_table(self):
        """{table: model} of the registry's models: the law may keep some of
        their rows (``_dataprotect_exempt_records``)."""
        return {
            self.env[model]._table: model for model in personal_data.models(self.env)
        }
