# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Planning: which orders, deliveries, invoices and partners one
anonymization touches, and the shared-partner rule.

Odoo does not copy addresses into documents: orders, deliveries and invoices
point at ``res.partner`` records, so anonymizing orders means anonymizing the
partners they point at, in place. A partner another document still needs is
kept (``_split_shared_partners``): the rule lives here only, and the job,
the purge, the export, the preview and the single-person erasure all plan
through this model.
"""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..other_apps import PARTNER_HOLDERS
from ..plan import Plan
from ..tools import PLAN_SETTINGS, id_array, lookup_each, set_local

# A partner that is a user's or a company's is never anonymized: (table,
# column) of the rows that point at it.
ACCOUNT_PARTNERS = (("res_users", "partner_id"), ("res_company", "partner_id"))


class DataprotectPlanner(models.AbstractModel):
    """The addon's API for planning (each method checks that the caller is
    a Data Protection manager, or the superuser the scheduled actions run
    as):

    - ``plan_orders(orders, now, order_ok=None)``: what anonymizing the orders
      touches, less the partners another document still needs;
    - ``plan_free_orders(orders, now, order_ok=None)``: the same, with its rows
      locked, less the orders whose rows another transaction holds;
    - ``plan_people(partners)``: what erasing these people touches;
    - ``check_erasable(partners)``: refuse people that may not be erased.
    """

    _name = "dataprotect.planner"
    _description = "Marketplace Personal Data Planner"

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
    def plan_orders(self, orders, now, order_ok=None):
        """What anonymizing the orders touches: their deliveries, invoices and
        the partners they point at, less those another document still needs.

        :param order_ok: SQL condition on ``so``/``mp`` telling which other
            orders may be anonymized together with these (default: due ones).
        """
        self.env["dataprotect.marketplace"]._check_manager()
        set_local(self.env.cr, PLAN_SETTINGS)
        env = self._env_notrack()
        orders = orders.with_env(env)
        env.flush_all()
        # the orders' deliveries and invoices (as sale.order.invoice_ids,
        # without computing it), looked up order by order (asked with IN,
        # PostgreSQL reads the whole tables of pickings and order lines)
        env.cr.execute(lookup_each(orders.ids, "stock_picking", "sale_id", SQL("t.id")))
        pickings = env["stock.picking"].browse(
            sorted(row[0] for row in env.cr.fetchall())
        )
        env.cr.execute(
            SQL(
                """
            SELECT DISTINCT aml.move_id FROM (%s) sol(id)
              JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN account_move am ON am.id = aml.move_id
             WHERE am.move_type IN ('out_invoice', 'out_refund')
            """,
                lookup_each(orders.ids, "sale_order_line", "order_id", SQL("t.id")),
            )
        )
        invoices = env["account.move"].browse(
            sorted(row[0] for row in env.cr.fetchall())
        )
        # (a dropshipped delivery's partner is the vendor who ships it; it
        # ships to the order's delivery address)
        env.cr.execute(
            SQL(" UNION ").join(
                [
                    lookup_each(
                        orders.ids,
                        "sale_order",
                        "id",
                        SQL(
                            "unnest(ARRAY[t.partner_id, t.partner_invoice_id, "
                            "t.partner_shipping_id])"
                        ),
                    ),
                    lookup_each(
                        pickings.ids,
                        "stock_picking",
                        "id",
                        SQL("t.partner_id"),
                        SQL(
                            "EXISTS (SELECT 1 FROM stock_picking_type spt WHERE "
                            "spt.id = t.picking_type_id AND spt.code != 'dropship')"
                        ),
                    ),
                    lookup_each(
                        invoices.ids,
                        "account_move",
                        "id",
                        SQL("unnest(ARRAY[t.partner_id, t.partner_shipping_id])"),
                    ),
                ]
            )
        )
        pointed = env["res.partner"].browse(
            {row[0] for row in env.cr.fetchall() if row[0]}
        )
        # a marketplace buyer kept for a child contact that was still needed
        # goes with that contact's last document
        pointed |= pointed._dataprotect_marketplace_ancestors()
        # (each looked up by its id: asked with IN, PostgreSQL reads the
        # whole table for a batch's few thousand)
        env.cr.execute(
            lookup_each(
                pointed._dataprotect_with_descendants().ids,
                "res_partner",
                "id",
                SQL("t.id"),
                SQL("t.dataprotect_anonymized_at IS NULL"),
            )
        )
        partners = env["res.partner"].browse(
            sorted(row[0] for row in env.cr.fetchall())
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
    def plan_free_orders(self, orders, now, order_ok=None):
        """Plan the orders and lock the rows the plan writes, without waiting;
        return ``(plan, busy)``: the plan of the orders none of whose rows
        another transaction holds (a user editing an order, a delivery, an
        invoice or a partner, or another run), and the others, left for a
        later batch."""
        busy = orders.browse()
        cr = self.env.cr
        while True:
            plan = self.plan_orders(orders - busy, now, order_ok)
            # the locks of a plan that met a held row are let go before the
            # next try: kept, they would hold rows of the busy orders that
            # the transaction holding them (another batch) may need to write
            self.env.flush_all()
            cr.execute("SAVEPOINT dataprotect_plan_locks")
            held = self._held_orders(plan)
            if not held:
                cr.execute("RELEASE SAVEPOINT dataprotect_plan_locks")
                return plan, busy
            cr.execute("ROLLBACK TO SAVEPOINT dataprotect_plan_locks")
            busy |= held

    @api.model
    def plan_people(self, partners):
        """What erasing these people touches: the partners with their child
        contacts and every order, delivery and invoice that points at them."""
        self.env["dataprotect.marketplace"]._check_manager()
        set_local(self.env.cr, PLAN_SETTINGS)
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
    def check_erasable(self, partners):
        """Refuse to erase people who have a user account or are a company
        of this database (the same rule keeps them in every run)."""
        self.env["dataprotect.marketplace"]._check_manager()
        if self._account_holders(partners.ids):
            raise UserError(
                self.env._(
                    "This person has a user account or is a company of this "
                    "database: it cannot be anonymized here. Remove the user "
                    "account first."
                )
            )

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
            id_array(documents.get("sale.order", [])),
            ok,
        )
        other_picking = SQL(
            """t.dataprotect_anonymized_at IS NULL AND NOT t.id = ANY(%s)
               AND NOT EXISTS (SELECT 1 FROM sale_order so
                               WHERE so.id = t.sale_id AND %s)""",
            id_array(documents.get("stock.picking", [])),
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
            id_array(documents.get("account.move", [])),
            ok,
        )
        seeds = [
            *self._account_partners(partners.ids),
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
        # the seller's ongoing business with the person in other apps
        linked = "opportunity_id" in self.env["sale.order"]._fields
        seeds += [
            pointing(self.env[model]._table, column, condition(linked))
            for model, (column, condition) in PARTNER_HOLDERS.items()
            if model in self.env
        ]
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
    def _account_holders(self, partner_ids):
        """The ids, of ``partner_ids``, of the partners that are a user's or a
        company's, archived ones included."""
        if not partner_ids:
            return set()
        self.env.flush_all()
        self.env.cr.execute(SQL(" UNION ").join(self._account_partners(partner_ids)))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _account_partners(self, partner_ids):
        """SQL queries of the partners (of ``partner_ids``) that are a user's
        or a company's, archived ones included."""
        return [
            lookup_each(partner_ids, table, column, SQL("c.id"))
            for table, column in ACCOUNT_PARTNERS
        ]

    @api.model
    def _held_orders(self, plan):
        """Lock the rows the plan writes, without waiting; return the orders
        that touch a row another transaction holds."""
        held = {}
        for records in (plan.orders, plan.pickings, plan.invoices, plan.partners):
            held[records._name] = records.browse()
            if records:
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = ANY(%s) "
                        "FOR NO KEY UPDATE SKIP LOCKED",
                        SQL.identifier(records._table),
                        id_array(records.ids),
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
