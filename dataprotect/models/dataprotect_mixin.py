# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools

from ..personal_data import (
    CLEAR,
    PLACEHOLDER,
    SCRUB,
    columns,
    html_fields,
    personal_fields,
    shown_fields,
)

# The context key telling a read of these records which kind of access it is
# part of (``dataprotect.access.log``). Its values are these objects, which no
# RPC call can send: a client cannot hide a read, nor disguise it.
ACCESS = "dataprotect_access"
LISTED = object()  # a list view's read
NESTED = object()  # a read inside one already logged (or the addon's own)


class DataprotectMixin(models.AbstractModel):
    """The marketplace-origin tag and the anonymization marker, shared by the
    orders, deliveries, invoices and partners of a marketplace."""

    _name = "dataprotect.mixin"
    _description = "Marketplace Personal Data"

    dataprotect_marketplace_id = fields.Many2one(
        comodel_name="dataprotect.marketplace",
        string="Marketplace",
        index=True,
        copy=False,
        readonly=True,
        help="The marketplace this record comes from. Its personal data is "
        "anonymized according to that marketplace's rules.",
    )
    dataprotect_anonymized_at = fields.Datetime(
        string="Personal Data Anonymized On",
        index=True,
        copy=False,
        readonly=True,
        help="When the personal data of this record was anonymized. Empty while "
        "the personal data is still active.",
    )

    # the access log: reads of the personal data of active buyers

    @api.model
    @api.readonly
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        records = self.with_context(**{ACCESS: LISTED})
        return super(DataprotectMixin, records).web_search_read(
            domain, specification, offset, limit, order, count_limit
        )

    @api.readonly
    def web_read(self, specification):
        """The form (or a list, through ``web_search_read``): one entry for
        the records read, none for the records they show (co-records) or the
        ``read`` it makes."""
        kind = self.env.context.get(ACCESS)
        if kind is NESTED:
            return super().web_read(specification)
        nested = self.with_context(**{ACCESS: NESTED})
        result = super(DataprotectMixin, nested).web_read(specification)
        self._dataprotect_log_read("list" if kind is LISTED else "form", specification)
        return result

    def _read_format(self, fnames, load="_classic_read"):
        """``read`` and ``search_read``: over the API, or the code's own."""
        result = super()._read_format(fnames, load)
        if self.env.context.get(ACCESS) is not NESTED:
            self._dataprotect_log_read("rpc", fnames)
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._dataprotect_log_read(
            "export", [path.split("/")[0] for path in fields_to_export]
        )
        return result

    def _dataprotect_log_read(self, kind, fnames):
        """Log a user's read of ``fnames`` (superuser code, such as the
        addon's own runs, is not a user's access)."""
        if self.env.su or not self._dataprotect_shown_fields().intersection(fnames):
            return
        self.env["dataprotect.access.log"].sudo()._log(self, kind)

    @tools.ormcache()
    def _dataprotect_shown_fields(self):
        return shown_fields(self.browse())

    # the personal-data registry's hooks (see models/base.py): these records
    # are the plan's own, written by the bulk writer

    @api.model
    def _dataprotect_personal_records(self, plan):
        return plan.named(self._name)

    def _dataprotect_anonymize(self, scrubber, plan, stats):
        """Scrub the ``SCRUB`` fields (references); the ``CLEAR`` and
        ``PLACEHOLDER`` columns are written afterwards, with the marker, by
        the bulk writer (``_dataprotect_written_values``), which also stores
        what Odoo computes from them."""
        rules = personal_fields(self, (SCRUB,))
        scrubber.update(self, (), list(rules), html_fields(self, rules))
        stats.add(self._name, "anonymized", len(self))

    def _dataprotect_written_values(self, placeholder, now):
        """The values the bulk writer sets on these records."""
        rules = personal_fields(self, (CLEAR, PLACEHOLDER))
        values = {
            name: placeholder if rules[name].rule == PLACEHOLDER else False
            for name in columns(self, rules)
        }
        values["dataprotect_anonymized_at"] = now
        return values
