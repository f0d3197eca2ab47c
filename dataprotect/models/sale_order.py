# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, index_exists

from ..personal_data import CLEAR, SCRUB, Field
from ..tools import id_array, read_columns

PARTNER_FIELDS = ("partner_id", "partner_invoice_id", "partner_shipping_id")
# where an order keeps the marketplace's order number: read by the tagging's
# order-number rule and matched by deletion requests
ORDER_NUMBER_FIELDS = ("client_order_ref", "origin")
# what the tagging of an order reads (``dataprotect.tagger``)
TAGGED_BY = {"team_id", *ORDER_NUMBER_FIELDS, *PARTNER_FIELDS}


# the kinds of deliveries that ship an order to its buyer (``dropship`` where
# stock_dropshipping is installed: the vendor ships)
SHIPPING_CODES = ("outgoing", "dropship")


# the retention start of an active marketplace order (not yet anonymized),
# NULL for every other order: the expression of an index, so that PostgreSQL
# keeps statistics of it and finds and counts the due orders through it at
# any database size, knowing how few they are (docs/benchmark.md)
DUE_INDEX = "sale_order_dataprotect_due_idx"
TAG_INDEX = "sale_order_dataprotect_tag_idx"
ACTIVE_INDEX = "sale_order_dataprotect_active_idx"
ACTIVE_START = (
    "CASE WHEN {t}dataprotect_anonymized_at IS NULL"
    " AND {t}dataprotect_marketplace_id IS NOT NULL"
    " THEN {t}dataprotect_retention_start END"
)
# the start of an order's retention period (alias ``so``), in SQL: its
# cancellation, or the latest delivery to the buyer (outgoing, or dropshipped
# by a vendor) once every one is done or cancelled and at least one is done
RETENTION_START = SQL(
    """
    CASE WHEN so.state = 'cancel' THEN so.dataprotect_cancel_date
    WHEN NOT EXISTS (
        SELECT 1 FROM stock_picking sp
        JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
        WHERE sp.sale_id = so.id AND spt.code IN %(shipping)s
          AND sp.state NOT IN ('done', 'cancel')
    ) THEN (
        SELECT max(sp.date_done) FROM stock_picking sp
        JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
        WHERE sp.sale_id = so.id AND spt.code IN %(shipping)s
          AND sp.state = 'done'
    ) END
    """,
    shipping=SHIPPING_CODES,
)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "dataprotect.mixin"]

    _dataprotect_fields = {
        "note": Field(CLEAR),
        "signed_by": Field(CLEAR),
        "signature": Field(CLEAR, export=False),
        "client_order_ref": Field(SCRUB, export="marketplace_reference"),
        "origin": Field(SCRUB, export="source"),
        "reference": Field(SCRUB),
    }

    dataprotect_tag_reason = fields.Selection(
        selection=[
            ("team", "Sales Team"),
            ("email", "Buyer's E-mail Domain"),
            ("order_number", "Order Number"),
        ],
        string="Recognised By",
        readonly=True,
        copy=False,
        help="Why this order is a marketplace's: its sales team is one of the "
        "marketplace's, or it matches one of the marketplace's recognition "
        "rules (the domain of a buyer's e-mail address, or the order number "
        "in the customer reference or source document).",
    )
    dataprotect_cancel_date = fields.Datetime(
        string="Cancelled On",
        compute="_compute_dataprotect_cancel_date",
        store=True,
        copy=False,
        help="When the order was cancelled: a cancelled marketplace order is "
        "anonymized once the retention period has passed after this date.",
    )
    dataprotect_retention_start = fields.Datetime(
        string="Retention Period Starts",
        compute="_compute_dataprotect_retention_start",
        store=True,
        copy=False,
        help="When the retention period of the order starts: its cancellation, "
        "or the last delivery to the buyer once all are done. Empty while a "
        "delivery is still to be done.",
    )
    dataprotect_due = fields.Boolean(
        string="Due for Anonymization",
        compute="_compute_dataprotect_due",
        search="_search_dataprotect_due",
        help="The retention period of this marketplace order has passed: the "
        "scheduled action anonymizes it on its next run.",
    )

    dataprotect_anonymize_from = fields.Datetime(
        string="Anonymized From",
        compute="_compute_dataprotect_anonymize_from",
        help="When the retention period of this marketplace order ends: the "
        "scheduled action anonymizes its buyer's personal data on its first "
        "run after this moment. Empty while the order is not fully shipped "
        "(the period starts with the last delivery) and once it is anonymized.",
    )

    @api.depends(
        "dataprotect_retention_start",
        "dataprotect_anonymized_at",
        "dataprotect_marketplace_id.active",
        "dataprotect_marketplace_id.retention_days",
    )
    def _compute_dataprotect_anonymize_from(self):
        """The due rule's moment: the start of the retention period plus the
        marketplace's period (``_dataprotect_due_condition``)."""
        for order in self:
            marketplace = order.dataprotect_marketplace_id
            start = order.dataprotect_retention_start
            order.dataprotect_anonymize_from = (
                start
                and marketplace.active
                and not order.dataprotect_anonymized_at
                and start + timedelta(days=marketplace.retention_days)
            ) or False

    @api.depends(
        "state",
        "dataprotect_cancel_date",
        "picking_ids.state",
        "picking_ids.date_done",
        "picking_ids.picking_type_id",
    )
    def _compute_dataprotect_retention_start(self):
        """When the retention period of an order starts (the due rule's
        start): its cancellation, or the latest delivery to the buyer once
        every one is done or cancelled. Stored so that the due orders are
        found through an index at any database size: computed here in Python,
        and in SQL (``RETENTION_START``) where the column is added to a
        database that already holds orders."""
        for order in self:
            if order.state == "cancel":
                order.dataprotect_retention_start = order.dataprotect_cancel_date
                continue
            shipping = order.picking_ids.filtered(
                lambda p: p.picking_type_id.code in SHIPPING_CODES
            )
            undone = shipping.filtered(lambda p: p.state not in ("done", "cancel"))
            done = shipping.filtered(lambda p: p.state == "done")
            order.dataprotect_retention_start = (
                not undone and max(done.mapped("date_done"), default=False)
            ) or False

    def _auto_init(self):
        """Where the addon comes to a database that already holds orders, the
        retention start (and the cancellation date it reads) are filled in
        SQL, not computed order by order by the ORM (a million orders)."""
        if not column_exists(self.env.cr, self._table, "dataprotect_retention_start"):
            self._dataprotect_add_retention_start()
        return super()._auto_init()

    def _dataprotect_add_retention_start(self):
        cr = self.env.cr
        if not column_exists(cr, self._table, "dataprotect_cancel_date"):
            create_column(cr, self._table, "dataprotect_cancel_date", "timestamp")
            cr.execute(
                "UPDATE sale_order SET dataprotect_cancel_date ="
                " now() AT TIME ZONE 'UTC' WHERE state = 'cancel'"
            )
        create_column(cr, self._table, "dataprotect_retention_start", "timestamp")
        cr.execute(
            SQL(
                "UPDATE sale_order so SET dataprotect_retention_start = %s",
                RETENTION_START,
            )
        )

    def init(self):
        res = super().init()
        active = SQL(
            "WHERE dataprotect_anonymized_at IS NULL"
            " AND dataprotect_marketplace_id IS NOT NULL"
        )
        indexes = {
            DUE_INDEX: SQL("((%s))", SQL(ACTIVE_START.format(t=""))),
            # the active orders of a marketplace by why they are its and by
            # team: what the settings count (recognised orders, orders that
            # lost their team), read from the index alone
            TAG_INDEX: SQL(
                "(dataprotect_marketplace_id, dataprotect_tag_reason, team_id) %s",
                active,
            ),
            # the same orders in the order of their ids: the purge takes them
            # batch by batch through it
            ACTIVE_INDEX: SQL("(dataprotect_marketplace_id, id) %s", active),
        }
        for name, definition in indexes.items():
            if not index_exists(self.env.cr, name):
                self.env.cr.execute(
                    SQL(
                        "CREATE INDEX %s ON sale_order %s",
                        SQL.identifier(name),
                        definition,
                    )
                )
        return res

    def _dataprotect_open(self):
        """The orders still in progress: a quotation, a delivery to the buyer
        still to be done or something still to invoice. Anonymized, they can
        no longer be shipped or invoiced (the address is gone). In SQL, each
        order's deliveries looked up through their index: a purge asks it of
        100,000 orders."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT so.id FROM sale_order so
             WHERE so.id = ANY(%(ids)s)
               AND (so.state IN ('draft', 'sent')
                    OR so.invoice_status = 'to invoice'
                    OR EXISTS (
                        SELECT 1 FROM stock_picking sp
                          JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                         WHERE sp.sale_id = so.id AND spt.code IN %(codes)s
                           AND sp.state NOT IN ('done', 'cancel')))
            """,
                ids=id_array(self.ids),
                codes=SHIPPING_CODES,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _create_invoices(self, grouped=False, final=False, date=None):
        anonymized = self.filtered("dataprotect_anonymized_at")
        if anonymized:
            raise UserError(
                self.env._(
                    "The personal data of the buyers of %(orders)s was anonymized: "
                    "an invoice needs the buyer's name and address, which are gone. "
                    "No invoice can be created for these orders.",
                    orders=", ".join(anonymized.mapped("name")),
                )
            )
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    @api.depends("state")
    def _compute_dataprotect_cancel_date(self):
        for order in self:
            if order.state != "cancel":
                order.dataprotect_cancel_date = False
            elif not order.dataprotect_cancel_date:
                order.dataprotect_cancel_date = fields.Datetime.now()

    def _compute_dataprotect_due(self):
        due = (
            self.browse(self._dataprotect_due_ids(self.ids))
            if self.ids
            else self.browse()
        )
        for order in self:
            order.dataprotect_due = order in due

    def _search_dataprotect_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(
                self.env._("Unsupported search on %s", "dataprotect_due")
            )
        positive = (operator == "=") == value
        self.flush_model(
            [
                "dataprotect_retention_start",
                "dataprotect_anonymized_at",
                "dataprotect_marketplace_id",
            ]
        )
        return [
            (
                "id",
                "in" if positive else "not in",
                SQL("(%s)", self._dataprotect_due_query()),
            )
        ]

    @api.model
    def _dataprotect_due_condition(self, now=None):
        """The one rule of when a marketplace order's personal data is due for
        anonymization, as an SQL condition on ``sale_order`` (alias ``so``)
        joined with its active marketplace (alias ``mp``).

        Due: not yet anonymized, and the retention period has passed since it
        started (``dataprotect_retention_start``).

        The same bound with the shortest retention period of the active
        marketplaces, as a constant on the active orders' start
        (``ACTIVE_START``), lets PostgreSQL find the due orders through its
        index (``DUE_INDEX``) instead of reading every active order.
        """
        now = now or fields.Datetime.now()
        self.env.cr.execute(
            "SELECT min(retention_days) FROM dataprotect_marketplace WHERE active"
        )
        shortest = self.env.cr.fetchone()[0]
        if shortest is None:
            return SQL("FALSE")
        return SQL(
            """(%(active_start)s) < %(now)s - make_interval(days => %(shortest)s)
               AND so.dataprotect_retention_start
                   < %(now)s - make_interval(days => mp.retention_days)""",
            active_start=SQL(ACTIVE_START.format(t="so.")),
            now=now,
            shortest=shortest,
        )

    @api.model
    def _dataprotect_due_query(
        self, now=None, marketplace_ids=None, limit=None, lock=False
    ):
        """SQL selecting the ids of due orders, the longest due first (by the
        start of their retention period, then by id): in the order of the
        index (``DUE_INDEX``), so that a batch reads its own orders only.
        In the order of the ids, PostgreSQL walked the primary key from the
        lowest id, past every order anonymized before, more of them with
        each batch of a backlog."""
        return SQL(
            """
            SELECT so.id FROM sale_order so
            JOIN dataprotect_marketplace mp
              ON mp.id = so.dataprotect_marketplace_id AND mp.active
            WHERE %(due)s %(marketplaces)s
            ORDER BY (%(active_start)s), so.id %(limit)s %(lock)s
            """,
            active_start=SQL(ACTIVE_START.format(t="so.")),
            due=self._dataprotect_due_condition(now),
            marketplaces=SQL("AND mp.id = ANY(%s)", id_array(marketplace_ids))
            if marketplace_ids is not None
            else SQL(),
            limit=SQL("LIMIT %s", limit) if limit else SQL(),
            lock=SQL("FOR NO KEY UPDATE OF so SKIP LOCKED") if lock else SQL(),
        )

    @api.model
    def _dataprotect_due_count(self, marketplace_ids=None, now=None, limit=None):
        """How many orders are due (of the given marketplaces), counting up to
        ``limit`` at most."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM (%s) due",
                self._dataprotect_due_query(now, marketplace_ids, limit=limit),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _dataprotect_due_ids(self, ids=None, now=None):
        self.env.flush_all()
        query = self._dataprotect_due_query(now)
        if ids is not None:
            query = SQL(
                "SELECT id FROM (%s) due WHERE id = ANY(%s)", query, id_array(ids)
            )
        self.env.cr.execute(query)
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        self.env["dataprotect.tagger"]._tag_orders(orders)
        return orders

    def write(self, vals):
        res = super().write(vals)
        if vals.keys() & TAGGED_BY:
            self.env["dataprotect.tagger"]._tag_orders(self)
        if vals.keys() & set(PARTNER_FIELDS):
            # a new partner of an order whose tag stays
            self._dataprotect_tag_partners()
        return res

    def _dataprotect_anonymize(self, scrubber, plan, stats):
        res = super()._dataprotect_anonymize(scrubber, plan, stats)
        # the log and the preview count the orders by why they were tagged
        # (one column read: the ORM would read the orders' whole rows)
        reasons = (row[1] for row in read_columns(self, ["dataprotect_tag_reason"]))
        for reason, count in Counter(reasons).items():
            if reason:
                stats.add(self._name, f"by_{reason}", count)
        return res

    def _dataprotect_partners(self):
        """The partners the orders point at, with their descendants."""
        partners = self.env["res.partner"]
        for fname in PARTNER_FIELDS:
            partners |= self[fname]
        return partners._dataprotect_with_descendants()

    def _dataprotect_tag_partners(self):
        """Tag the untagged partners of marketplace orders with the marketplace."""
        for marketplace in self.dataprotect_marketplace_id:
            orders = self.filtered(
                lambda o, m=marketplace: o.dataprotect_marketplace_id == m
            )
            partners = orders._dataprotect_partners().filtered(
                lambda p: not p.dataprotect_marketplace_id
            )
            if partners:
                partners.sudo().with_context(tracking_disable=True).write(
                    {"dataprotect_marketplace_id": marketplace.id}
                )
