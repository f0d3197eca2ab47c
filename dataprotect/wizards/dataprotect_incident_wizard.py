# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import format_datetime

from ..tools import csv_download


class DataprotectIncidentWizard(models.TransientModel):
    """Which buyers an incident may have touched: the marketplace's orders
    whose buyers' personal data was active at the incident's start, as a
    list and a CSV the seller sends to the marketplace. Built from the tags
    and the anonymization dates; it holds no personal data (order numbers,
    dates and counts only)."""

    _name = "dataprotect.incident.wizard"
    _description = "Data Protection Incident Report"

    marketplace_id = fields.Many2one(
        "dataprotect.marketplace",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.ref(
            "dataprotect.marketplace_amazon", raise_if_not_found=False
        ),
    )
    moment = fields.Datetime(
        string="Incident Started",
        required=True,
        default=fields.Datetime.now,
        help="When the incident began: the report lists the orders whose "
        "buyers' personal data was held then (created before, and not yet "
        "anonymized at that moment).",
    )
    order_ids = fields.Many2many(
        "sale.order", string="Orders Concerned", compute="_compute_orders"
    )
    order_count = fields.Integer(string="Orders", compute="_compute_orders")
    picking_count = fields.Integer(string="Deliveries", compute="_compute_orders")
    invoice_count = fields.Integer(string="Invoices", compute="_compute_orders")
    partner_count = fields.Integer(string="Buyers", compute="_compute_orders")

    @api.model_create_multi
    def create(self, vals_list):
        self.env["dataprotect.marketplace"]._check_manager()
        return super().create(vals_list)

    def _concerned_orders(self):
        """The marketplace's orders placed or brought into Odoo by the moment
        (whichever came first: a report rather lists one order too many) whose
        personal data was not yet anonymized then."""
        self.ensure_one()
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("dataprotect_marketplace_id", "=", self.marketplace_id.id),
                    "|",
                    ("date_order", "<=", self.moment),
                    ("create_date", "<=", self.moment),
                    "|",
                    ("dataprotect_anonymized_at", "=", False),
                    ("dataprotect_anonymized_at", ">", self.moment),
                ],
                order="date_order, id",
            )
        )

    @api.depends("marketplace_id", "moment")
    def _compute_orders(self):
        for wizard in self:
            orders = (
                wizard._concerned_orders()
                if wizard.marketplace_id and wizard.moment
                else self.env["sale.order"]
            )
            wizard.order_ids = orders
            wizard.order_count = len(orders)
            wizard.picking_count = len(orders.picking_ids)
            wizard.invoice_count = len(orders.invoice_ids)
            wizard.partner_count = len(orders._dataprotect_partners())

    def _csv_rows(self):
        """The report as CSV rows: one line per order, no personal data."""
        self.ensure_one()
        _ = self.env._
        yield [
            _("Marketplace"),
            _("Order"),
            _("Marketplace Order Number"),
            _("Order Date"),
            _("Deliveries"),
            _("Invoices"),
            _("Anonymized On"),
        ]
        for order in self._concerned_orders():
            yield [
                self.marketplace_id.name,
                order.name,
                order.client_order_ref or "",
                fields.Datetime.to_string(order.date_order),
                len(order.picking_ids),
                len(order.invoice_ids),
                fields.Datetime.to_string(order.dataprotect_anonymized_at)
                if order.dataprotect_anonymized_at
                else "",
            ]

    def action_download_csv(self):
        self.env["dataprotect.marketplace"]._check_manager()
        self.ensure_one()
        name = self.env._(
            "incident-%(marketplace)s-%(moment)s.csv",
            marketplace=self.marketplace_id.name,
            moment=format_datetime(self.env, self.moment, dt_format="yyyyMMdd-HHmm"),
        )
        return csv_download(self, name, self._csv_rows())
