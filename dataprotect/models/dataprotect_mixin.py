# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
