"""Benchmark of the scheduled anonymization.

Builds N marketplace orders shipped 40 days ago (buyer with a delivery
address, done delivery, posted invoice, tracking values, a chatter message with
the buyer's e-mail) plus N/10 webshop orders as bystanders, then times on the
same data: (a) the addon's job, (b) a naive per-record ORM write with tracking
on (a sample, extrapolated), (c) the floor: plain SQL UPDATEs of the same
columns. (b) and (c) run in savepoints that are rolled back before (a).

Usage: python bench/bench_anonymize.py -c ODOO_CONF -d DATABASE [--orders N]
"""

import argparse
import time
import tracemalloc
from datetime import timedelta

import odoo
from odoo import Command, api, fields, sql_db
from odoo.tools import SQL

CHUNK = 500


def chunks(records, size=CHUNK):
    for start in range(0, len(records), size):
        yield records[start : start + size]


def build(env, count):
    """N marketplace orders and N/10 webshop orders, created in batches
    (without Odoo's own chatter logging: the messages and tracking values the
    benchmark needs are created explicitly)."""
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )
    )
    marketplace = env.ref("dataprotect.marketplace_amazon")
    amazon = env["crm.team"].create({"name": "Amazon Bench"})
    webshop = env["crm.team"].create({"name": "Webshop Bench"})
    marketplace.team_ids = [Command.link(amazon.id)]
    product = env["product.product"].create(
        {"name": "Bench Pot", "type": "consu", "invoice_policy": "order"}
    )
    shipped = fields.Datetime.now() - timedelta(days=40)
    note = env.ref("mail.mt_note")
    phone_field = env["ir.model.fields"]._get("res.partner", "phone")
    orders = env["sale.order"]
    for team, number in ((amazon, count), (webshop, max(count // 10, 1))):
        for start in range(0, number, CHUNK):
            size = min(CHUNK, number - start)
            buyers = env["res.partner"].create(
                [
                    {
                        "name": f"Bench Buyer {team.id}-{start + i}",
                        "street": f"Benchstrasse {start + i}",
                        "zip": "50667",
                        "city": "Koeln",
                        "email": f"buyer{team.id}.{start + i}@bench.example",
                        "phone": f"+49 221 {start + i:07d}0",
                        "child_ids": [
                            Command.create(
                                {
                                    "type": "delivery",
                                    "name": f"Bench Delivery {team.id}-{start + i}",
                                    "street": f"Lieferweg {start + i}",
                                }
                            )
                        ],
                    }
                    for i in range(size)
                ]
            )
            # a tracked change: the old phone lands in mail.tracking.value
            env["mail.message"].create(
                [
                    {
                        "model": "res.partner",
                        "res_id": buyer.id,
                        "message_type": "notification",
                        "subtype_id": note.id,
                        "tracking_value_ids": [
                            Command.create(
                                {
                                    "field_id": phone_field.id,
                                    "old_value_char": buyer.phone[:-1],
                                    "new_value_char": buyer.phone,
                                }
                            )
                        ],
                    }
                    for buyer in buyers
                ]
            )
            batch = env["sale.order"].create(
                [
                    {
                        "partner_id": buyer.id,
                        "partner_shipping_id": buyer.child_ids.id,
                        "team_id": team.id,
                        # created confirmed: the deliveries are created in one go
                        "state": "sale",
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 1}
                            )
                        ],
                    }
                    for buyer in buyers
                ]
            )
            pickings = batch.picking_ids
            # delivered (the stock levels are of no interest here)
            pickings.move_ids.write({"quantity": 1, "picked": True, "state": "done"})
            pickings.date_done = shipped
            batch._create_invoices().action_post()
            env["mail.message"].create(
                [
                    {
                        "model": "sale.order",
                        "res_id": order.id,
                        "message_type": "comment",
                        "subtype_id": note.id,
                        "author_id": env.user.partner_id.id,
                        "body": f"<p>Mail to {order.partner_id.email}</p>",
                    }
                    for order in batch
                ]
            )
            env.flush_all()
            env.cr.commit()
            env.invalidate_all()
            orders |= batch
    return orders.filtered(lambda o: o.team_id == amazon)


def timed(function):
    started = time.perf_counter()
    queries = sql_db.sql_counter
    result = function()
    return time.perf_counter() - started, sql_db.sql_counter - queries, result


def naive(env, orders):
    """Per-record ORM writes with tracking on, as a hand-written script would."""
    for order in orders:
        for partner in order.partner_id | order.partner_shipping_id:
            partner.write(
                {
                    "name": "Anonymized",
                    "street": False,
                    "email": False,
                    "phone": False,
                    "mobile": False,
                }
            )
        order.write({"note": False, "client_order_ref": False})
        order.picking_ids.write({"note": False})
        order.invoice_ids.write({"narration": False})
        for message in order.message_ids:
            message.body = "Anonymized"
    env.flush_all()


def sql_floor(env, orders):
    """The same columns set with plain SQL, without Odoo."""
    ids = orders.ids
    cr = env.cr
    cr.execute(
        SQL(
            """UPDATE res_partner SET name = 'Anonymized', street = NULL,
                  street2 = NULL, email = NULL, phone = NULL, mobile = NULL,
                  vat = NULL
            WHERE id IN (SELECT unnest(ARRAY[partner_id, partner_invoice_id,
                                             partner_shipping_id])
                           FROM sale_order WHERE id = ANY(%s))""",
            ids,
        )
    )
    cr.execute(SQL("UPDATE sale_order SET note = NULL WHERE id = ANY(%s)", ids))
    cr.execute(SQL("UPDATE stock_picking SET note = NULL WHERE sale_id = ANY(%s)", ids))
    cr.execute(
        SQL(
            """UPDATE mail_message SET body = 'Anonymized'
            WHERE model = 'sale.order' AND res_id = ANY(%s)""",
            ids,
        )
    )
    cr.execute(
        SQL(
            """UPDATE mail_tracking_value
                  SET old_value_char = NULL, new_value_char = NULL
            WHERE mail_message_id IN (SELECT id FROM mail_message
                                       WHERE model = 'res.partner')"""
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the orders an earlier run built in this database",
    )
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.perf_counter()
        orders = env["sale.order"].search([("team_id.name", "=", "Amazon Bench")])
        if args.reuse and orders:
            print(f"reusing the {len(orders)} marketplace orders built earlier")
        else:
            orders = build(env, args.orders)
            print(
                f"built {len(orders)} marketplace orders "
                f"in {time.perf_counter() - started:.0f} s"
            )
        if args.build_only:
            return
        n = len(orders)

        with cr.savepoint(flush=False) as savepoint:
            sample = orders[: args.sample]
            t_naive, _q, _r = timed(lambda: naive(env, sample))
            savepoint.rollback()
        env.invalidate_all()
        with cr.savepoint(flush=False) as savepoint:
            t_floor, _q, _r = timed(lambda: sql_floor(env, orders))
            savepoint.rollback()
        env.invalidate_all()

        anonymizer = env["dataprotect.anonymizer"]
        tracemalloc.start()

        def job():
            calls = 0
            while anonymizer._count_due(fields.Datetime.now()):
                anonymizer._run_scheduled()
                env.invalidate_all()
                calls += 1
            return calls

        t_addon, queries, calls = timed(job)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        done = env["sale.order"].search_count(
            [("id", "in", orders.ids), ("dataprotect_anonymized_at", "!=", False)]
        )
        cr.rollback()

    naive_total = t_naive / len(sample) * n
    print(f"orders: {n} ({done} anonymized by the job in {calls} batches)")
    print(f"(a) addon      {t_addon:8.1f} s  {n / t_addon:8.0f} orders/s")
    print(
        f"(b) naive ORM  {naive_total:8.1f} s  {n / naive_total:8.0f} orders/s"
        f"  (sample of {len(sample)}, extrapolated)"
    )
    print(f"(c) SQL floor  {t_floor:8.1f} s  {n / t_floor:8.0f} orders/s")
    print(f"a/b = {t_addon / naive_total:.2f}   a/c = {t_addon / t_floor:.2f}")
    print(f"peak Python memory during the job: {peak / 2**20:.1f} MiB")
    print(f"SQL queries per order: {queries / n:.1f}")


if __name__ == "__main__":
    main()
