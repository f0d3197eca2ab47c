# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What one anonymization touches (``Plan``) and what it did (``Stats``)."""

from collections import Counter

from odoo.osv import expression

from .tools import in_ids, read_columns

# The models whose records a plan names itself; the registry finds the rest
# from them (``Plan.records``).
DOCUMENT_MODELS = ("sale.order", "stock.picking", "account.move", "res.partner")


class Stats(Counter):
    """Counts per (model, outcome): outcome is anonymized, skipped or exempted."""

    def add(self, model, outcome, count):
        if count:
            self[(model, outcome)] += count


class Plan:
    """The records one anonymization touches: orders, deliveries, invoices
    and the partners (the people); ``skipped`` are the partners left alone
    because another document still needs them. Every other record that holds
    the people's data is found through the personal-data registry, once per
    plan: ``records(model)``."""

    def __init__(self, orders, pickings, invoices, partners, skipped):
        self.orders = orders
        self.pickings = pickings
        self.invoices = invoices
        self.partners = partners
        self.skipped = skipped
        self._records = {}
        self._emails = None
        self._memo = {}

    def named(self, model):
        """The plan's own records of ``model``, one of ``DOCUMENT_MODELS``."""
        return {
            "sale.order": self.orders,
            "stock.picking": self.pickings,
            "account.move": self.invoices,
            "res.partner": self.partners,
        }[model]

    def documents(self):
        """{model: ids} of the documents and partners the plan names."""
        return {model: self.named(model).ids for model in DOCUMENT_MODELS}

    def on_documents(self):
        """Domain on ``res_model``/``res_id``: records attached to the plan's
        documents and partners."""
        return expression.OR(
            [
                [("res_model", "=", model), ("res_id", "in", in_ids(ids))]
                for model, ids in self.documents().items()
            ]
        )

    def with_context(self, **context):
        """The same plan, its records with ``context`` added."""
        return Plan(
            *(
                records.with_context(**context)
                for records in (
                    self.orders,
                    self.pickings,
                    self.invoices,
                    self.partners,
                    self.skipped,
                )
            )
        )

    @property
    def env(self):
        return self.orders.env

    def emails(self):
        """The people's normalized e-mail addresses."""
        if self._emails is None:
            # read alone: through the ORM, all 61 columns of the partners
            # would be fetched, before the writer has most of them in the cache
            self._emails = sorted(
                {
                    email
                    for _id, email in read_columns(self.partners, ["email_normalized"])
                    if email
                }
            )
        return self._emails

    def memo(self, key, compute):
        """``compute()``, computed once per plan under ``key``."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def memo_records(self, records, key, compute):
        """``compute()`` of ``records``: once per plan when they are the
        plan's records of their model (``records(model)``, asked for by
        several stages in turn), each time for any others."""
        if records._ids == self.records(records._name)._ids:
            return self.memo((records._name, key), compute)
        return compute()

    def records(self, model):
        """The records of ``model`` that hold the plan's people's data, as
        the model declares them (``_dataprotect_personal_records``)."""
        if model not in self._records:
            self._records[model] = self.env[model]._dataprotect_personal_records(self)
        return self._records[model]
