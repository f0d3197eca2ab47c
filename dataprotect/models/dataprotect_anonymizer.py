# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Anonymizing what a plan holds, in three stages, all driven by the
personal-data registry (``personal_data.py``):

1. harvest: the people's known values (a partner's name, address, e-mail,
   phone, bank account, the buyer's gift messages), and those of the
   partners kept for another document, read before anything changes;
2. scrub: on every model of the registry, the plan's records have their
   ``CLEAR`` columns emptied and those values replaced by the placeholder in
   their ``SCRUB`` texts (chatter, tracking values, queued mails, activities,
   payment transactions, line texts, ...), one read and one write per table
   (``Scrubber``); files are deleted;
3. write: the orders, deliveries, invoices and partners get their ``CLEAR``
   and ``PLACEHOLDER`` columns and the anonymization marker, with the stored
   fields Odoo computes from them, one UPDATE per table (``writer.py``).
"""

import logging
import time
from contextlib import contextmanager

from odoo import api, models
from odoo.tools import SQL

from .. import personal_data
from ..plan import DOCUMENT_MODELS, Plan, Stats
from ..scrubber import Scrubber
from ..tools import id_array
from ..writer import write_rows

_logger = logging.getLogger(__name__)


class DataprotectAnonymizer(models.AbstractModel):
    """The addon's API for anonymizing (each method checks that the caller
    is a Data Protection manager, or the superuser):

    - ``anonymize(plan, placeholder, now)``: anonymize what the plan holds;
      return the ``Stats``;
    - ``dry_run(plan, placeholder, now)``: the same in a savepoint rolled
      back at the end of the ``with`` block it opens; yields the ``Stats``
      a run would have;
    - ``known_values(partners)``: the personal values of these partners;
    - ``plan_values(plan)``: those of the people a plan anonymizes;
    - ``count_fields(plan)``: how many of the plan's records hold a value in
      each field that anonymizing empties or replaces.
    """

    _name = "dataprotect.anonymizer"
    _description = "Marketplace Personal Data Anonymizer"

    @api.model
    def anonymize(self, plan, placeholder, now):
        """Anonymize what the plan holds; return the Stats."""
        self.env["dataprotect.marketplace"]._check_manager()
        started = time.monotonic()
        env = plan.env
        stats = Stats()
        stats.add("res.partner", "skipped", len(plan.skipped))
        models_ = personal_data.models(env)
        # 1. harvest; the values of the partners kept for another document
        # too: the plan's documents keep no copy of them in their texts
        # (not those of a user or a company: the seller's own names stay)
        values = self._harvest(plan, models_)
        holders = env["dataprotect.planner"]._account_holders(plan.skipped.ids)
        values += personal_data.known_values(
            plan.skipped.filtered(lambda p: p.id not in holders)
        )
        scrubber = Scrubber(env, values, placeholder)
        # 2. scrub
        for model in models_:
            records = plan.records(model)
            if records:
                records._dataprotect_anonymize(scrubber, plan, stats)
        # 3. write
        write_rows(
            env,
            [
                (records, records._dataprotect_written_values(placeholder, now))
                for records in map(plan.named, DOCUMENT_MODELS)
            ],
        )
        env.flush_all()
        _logger.info(
            "dataprotect: anonymized %s orders, %s partners (%s skipped as shared) "
            "in %.2fs",
            len(plan.orders),
            len(plan.partners),
            len(plan.skipped),
            time.monotonic() - started,
        )
        return stats

    @api.model
    @contextmanager
    def dry_run(self, plan, placeholder, now):
        """``with anonymizer.dry_run(plan, placeholder, now) as stats:``
        anonymize what the plan holds in a savepoint; inside the block the
        database shows the result; at its end everything is rolled back
        (files included: none is removed from the file store). ``stats`` are
        those the same run would log: what a wizard announces."""
        self.env["dataprotect.marketplace"]._check_manager()
        plan = plan.with_context(dataprotect_dry_run=True)
        try:
            with self.env.cr.savepoint() as savepoint:
                stats = self.anonymize(plan, placeholder, now)
                yield stats
                savepoint.rollback()
        finally:
            self.env.invalidate_all()

    @api.model
    def known_values(self, partners):
        """The personal values of the partners and of what belongs to them
        (bank accounts), as the registry declares them."""
        self.env["dataprotect.marketplace"]._check_manager()
        empty = partners.env["sale.order"]
        plan = Plan(
            empty,
            empty.env["stock.picking"],
            empty.env["account.move"],
            partners,
            partners.browse(),
        )
        return self._harvest(plan, personal_data.models(partners.env))

    @api.model
    def plan_values(self, plan):
        """The personal values of the people the plan anonymizes."""
        self.env["dataprotect.marketplace"]._check_manager()
        return self._harvest(plan, personal_data.models(plan.env))

    @api.model
    def _harvest(self, plan, models_):
        return [
            value
            for model in models_
            for records in [plan.records(model)]
            for value in (
                personal_data.known_values(records)
                + records._dataprotect_earlier_values(plan)
            )
        ]

    @api.model
    def count_fields(self, plan):
        """``[(model, field, count)]``: of the plan's records, how many hold
        a value in each field that anonymizing empties or replaces."""
        self.env["dataprotect.marketplace"]._check_manager()
        counts = []
        for model in personal_data.models(plan.env):
            rules = (personal_data.CLEAR, personal_data.PLACEHOLDER)
            if not personal_data.personal_fields(plan.env[model], rules):
                continue
            records = plan.records(model)
            names = personal_data.columns(
                records, personal_data.personal_fields(records, rules)
            )
            if not records or not names:
                continue
            records.flush_recordset(names)
            self.env.cr.execute(
                SQL(
                    "SELECT %s FROM %s WHERE id = ANY(%s)",
                    SQL(", ").join(
                        SQL("count(%s)", SQL.identifier(name)) for name in names
                    ),
                    SQL.identifier(records._table),
                    id_array(records.ids),
                )
            )
            counts += [
                (model, name, count)
                for name, count in zip(names, self.env.cr.fetchone(), strict=True)
                if count
            ]
        return counts
