# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..personal_data import (
    CLEAR,
    PLACEHOLDER,
    SCRUB,
    columns,
    html_fields,
    personal_fields,
)


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
