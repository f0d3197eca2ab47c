"""Benchmark of the scheduled anonymization.

Builds N marketplace orders shipped 40 days ago (buyer with a delivery
address, done delivery, posted invoice, tracking values, a chatter message with
the buyer's e-mail) plus N/10 webshop orders as bystanders, then times on the
same data: (a) the addon's job, (b) a naive per-record ORM write with tracking
on (a sample, extrapolated), (c) the floor: plain SQL UPDATEs of the same
columns; (d) the coverage check of one order; (e) the tagging of the N
orders by a new recognition rule, with another connection writing orders
meanwhile; (f) a user opening the forms of 1,000 active buyers' orders and
partners over HTTP, with the access log on, against off. Each measurement but
(e) and (f) runs ``--repeat`` times (the fastest run counts) on
freshly vacuumed tables: (a) on a copy of the database, called and committed
as Odoo's cron runner does (each call works ``dataprotect.parallel_batches``
batches at once, each committed on its own); (b) and (c) in a transaction
rolled back. ``--batch`` and ``--parallel`` are stored in the database's
settings, for later runs too.

Usage: python bench/bench_anonymize.py -c ODOO_CONF -d DATABASE [--orders N]
       [--repeat R] [--batch B] [--parallel P] [--reuse]
"""

import argparse
import itertools
import logging
import resource
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

from psycopg2 import errors
from werkzeug.test import Client

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
    # each team's buyers have streets and phones of their own: a webshop
    # buyer (a bystander) numbered like a marketplace buyer would otherwise
    # share the street and phone, and the coverage check (d) report them
    teams = (
        (amazon, count, "Benchstrasse", "Lieferweg", "221"),
        (webshop, max(count // 10, 1), "Ladenstrasse", "Ladenweg", "89"),
    )
    for team, number, street, delivery_street, area in teams:
        for start in range(0, number, CHUNK):
            size = min(CHUNK, number - start)
            buyers = env["res.partner"].create(
                [
                    {
                        "name": f"Bench Buyer {team.id}-{start + i}",
                        "street": f"{street} {start + i}",
                        "zip": "50667",
                        "city": "Koeln",
                        "email": f"buyer{team.id}.{start + i}@bench.example",
                        "phone": f"+49 {area} {start + i:07d}0",
                        "child_ids": [
                            Command.create(
                                {
                                    "type": "delivery",
                                    "name": f"Bench Delivery {team.id}-{start + i}",
                                    "street": f"{delivery_street} {start + i}",
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


def check_coverage(env, orders):
    """The coverage check of the orders' marketplace, call after call
    as the requests cron works it off, in a transaction rolled back."""
    run = env["dataprotect.run"]._start(
        "coverage", orders[:1].dataprotect_marketplace_id
    )
    now = fields.Datetime.now()
    calls, started = 0, time.perf_counter()
    while True:
        calls += 1
        if not env["dataprotect.coverage"]._check(run, now):
            break
    elapsed = time.perf_counter() - started
    places = "; ".join(
        f"{p.table_name}.{p.column_name}: {p.record_count} left, "
        f"{p.exempted_count} kept by law"
        for p in run.place_ids
    )
    return elapsed, calls, places


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


# the values of the bench's buyers (b) and delivery addresses (d)
FLOOR_VALUES = (
    ("b", "name"),
    ("b", "email"),
    ("b", "phone"),
    ("b", "street"),
    ("d", "name"),
    ("d", "street"),
)


def sql_floor(env, orders):
    """Plain SQL, without Odoo, doing on this data what the addon does: the
    buyer's and delivery address's values replaced in the texts the addon
    searches (each row with its own order's values only, case-sensitively),
    the tracked earlier values of the partners cleared, the partners cleared
    (with their computed copies), the documents' texts cleared and marked."""
    cr = env.cr
    ids = orders.ids
    cr.execute(
        SQL(
            """CREATE TEMP TABLE floor_partner AS
            WITH RECURSIVE family(id) AS (
                SELECT unnest(ARRAY[partner_id, partner_invoice_id,
                                    partner_shipping_id])
                  FROM sale_order WHERE id = ANY(%s)
                UNION SELECT p.id FROM res_partner p JOIN family f ON p.parent_id = f.id
            ) SELECT id FROM family""",
            ids,
        )
    )
    # the buyer's and the delivery address's values replaced wherever the
    # addon looks for them: the texts of the documents, their lines and moves,
    # their messages and tracked values (each row with its own order's values)
    # (row id, order id) of the rows to search, per table
    pickings = SQL(
        "SELECT sp.id, sp.sale_id FROM stock_picking sp WHERE sp.sale_id = ANY(%s)",
        ids,
    )
    invoices = SQL(
        """SELECT DISTINCT aml.move_id, sol.order_id FROM account_move_line aml
             JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
             JOIN sale_order_line sol ON sol.id = rel.order_line_id
            WHERE sol.order_id = ANY(%s)""",
        ids,
    )
    messages = SQL(
        """SELECT m.id, so.id FROM mail_message m JOIN sale_order so
              ON m.model = 'sale.order' AND m.res_id = so.id WHERE so.id = ANY(%(ids)s)
           UNION SELECT m.id, p.sale_id FROM mail_message m
             JOIN (%(pickings)s) p(id, sale_id)
               ON m.model = 'stock.picking' AND m.res_id = p.id
           UNION SELECT m.id, i.order_id FROM mail_message m
             JOIN (%(invoices)s) i(id, order_id)
               ON m.model = 'account.move' AND m.res_id = i.id
           UNION SELECT m.id, so.id FROM mail_message m JOIN sale_order so
              ON m.model = 'res.partner'
             AND m.res_id IN (so.partner_id, so.partner_shipping_id)
           WHERE so.id = ANY(%(ids)s)""",
        ids=ids,
        pickings=pickings,
        invoices=invoices,
    )
    texts = (
        ("mail_message", ("body", "subject", "record_name", "email_from"), messages),
        (
            "mail_tracking_value",
            ("old_value_char", "new_value_char"),
            SQL(
                "SELECT tv.id, m.order_id FROM mail_tracking_value tv"
                " JOIN (%s) m(id, order_id) ON m.id = tv.mail_message_id",
                messages,
            ),
        ),
        (
            "sale_order",
            ("client_order_ref", "origin", "reference"),
            SQL("SELECT so.id, so.id FROM sale_order so WHERE so.id = ANY(%s)", ids),
        ),
        (
            "sale_order_line",
            ("name",),
            SQL(
                "SELECT l.id, l.order_id FROM sale_order_line l"
                " WHERE l.order_id = ANY(%s)",
                ids,
            ),
        ),
        ("stock_picking", ("origin",), pickings),
        (
            "stock_move",
            ("description_picking",),
            SQL(
                "SELECT sm.id, p.sale_id FROM stock_move sm"
                " JOIN (%s) p(id, sale_id) ON p.id = sm.picking_id",
                pickings,
            ),
        ),
        ("account_move", ("ref", "payment_reference"), invoices),
        (
            "account_move_line",
            ("name",),
            SQL(
                "SELECT l.id, i.order_id FROM account_move_line l"
                " JOIN (%s) i(id, order_id) ON i.id = l.move_id",
                invoices,
            ),
        ),
    )
    values = [SQL.identifier(a, f) for a, f in FLOOR_VALUES]
    for table, columns, rows in texts:

        def replaced(column):
            expression = SQL.identifier("t", column)
            for value in values:
                expression = SQL("replace(%s, %s, 'Anonymized')", expression, value)
            return expression

        cr.execute(
            SQL(
                """UPDATE %(table)s t SET %(assignments)s
                     FROM (%(rows)s) r(id, order_id)
                     JOIN sale_order so ON so.id = r.order_id
                     JOIN res_partner b ON b.id = so.partner_id
                     JOIN res_partner d ON d.id = so.partner_shipping_id
                    WHERE t.id = r.id AND (%(found)s)""",
                table=SQL.identifier(table),
                assignments=SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(c), replaced(c)) for c in columns
                ),
                rows=rows,
                found=SQL(" OR ").join(
                    SQL("strpos(%s, %s) > 0", SQL.identifier("t", c), v)
                    for c in columns
                    for v in values
                ),
            )
        )
    cr.execute(
        SQL(
            """UPDATE mail_tracking_value t
                  SET old_value_char = NULL, new_value_char = NULL
                 FROM mail_message m
                WHERE m.id = t.mail_message_id AND m.model = 'res.partner'
                  AND m.res_id IN (SELECT id FROM floor_partner)"""
        )
    )
    now = SQL("(now() AT TIME ZONE 'UTC')")
    cr.execute(
        SQL(
            """UPDATE res_partner
                  SET name = 'Anonymized',
                      complete_name = CASE WHEN parent_id IS NULL THEN 'Anonymized'
                                      ELSE 'Anonymized, Anonymized' END,
                      street = NULL, street2 = NULL, email = NULL,
                      email_normalized = NULL, phone = NULL, phone_sanitized = NULL,
                      mobile = NULL, vat = NULL, dataprotect_anonymized_at = %s
                WHERE id IN (SELECT id FROM floor_partner)""",
            now,
        )
    )
    cr.execute(
        SQL(
            """UPDATE sale_order SET note = NULL, dataprotect_anonymized_at = %s
                WHERE id = ANY(%s)""",
            now,
            ids,
        )
    )
    cr.execute(
        SQL(
            """UPDATE stock_picking SET note = NULL, dataprotect_anonymized_at = %s
                WHERE sale_id = ANY(%s)""",
            now,
            ids,
        )
    )
    cr.execute(
        SQL(
            """UPDATE account_move
                  SET narration = NULL, invoice_partner_display_name = 'Anonymized',
                      dataprotect_anonymized_at = %s
                WHERE id IN (
                    SELECT aml.move_id FROM account_move_line aml
                      JOIN sale_order_line_invoice_rel rel
                        ON rel.invoice_line_id = aml.id
                      JOIN sale_order_line sol ON sol.id = rel.order_line_id
                     WHERE sol.order_id = ANY(%s))""",
            now,
            ids,
        )
    )


def vacuum(registry):
    """VACUUM ANALYZE the database and write a checkpoint, so that no pending
    one slows the measurement down (outside a transaction, untimed)."""
    connection = sql_db.db_connect(registry.db_name)
    with connection.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
        cr.execute("CHECKPOINT")


@contextmanager
def database_copy(registry):
    """A registry on a copy of the database, dropped afterwards: the job
    commits after each batch, as the cron runner does."""
    source, copy = registry.db_name, f"{registry.db_name}_job"
    sql_db.close_db(source)  # CREATE DATABASE refuses a template in use
    with sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(copy)))
        cr.execute(
            SQL(
                "CREATE DATABASE %s TEMPLATE %s",
                SQL.identifier(copy),
                SQL.identifier(source),
            )
        )
    try:
        yield odoo.modules.registry.Registry(copy)
    finally:
        odoo.modules.registry.Registry.delete(copy)
        sql_db.close_db(copy)
        with sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(SQL("DROP DATABASE %s", SQL.identifier(copy)))


def tagging(registry, ids):
    """(e) The orders recognised by a new rule: on a copy of the database,
    the orders untagged and given Amazon order numbers (the webshop's get
    its own), then the marketplace's order-number rule saved; the first batch
    is tagged by the save, the others as the requests cron does, each
    committed. Meanwhile another connection writes orders, one after the
    other, each in a transaction of its own: its longest wait is how long
    the tagging holds an order. Returns (seconds, batches, orders tagged,
    webshop orders tagged, writes, longest wait in seconds); the requests
    cron's calls include those that found an order changed meanwhile."""
    vacuum(registry)
    with database_copy(registry) as copy:
        with copy.cursor() as cr:
            cr.execute(
                """
                UPDATE sale_order SET client_order_ref = CASE WHEN id = ANY(%(ids)s)
                    THEN '302-' || lpad((id %% 9999999)::text, 7, '0') || '-'
                         || lpad(id::text, 7, '0')
                    ELSE 'WEB-' || id END,
                  dataprotect_marketplace_id = NULL, dataprotect_tag_reason = NULL;
                UPDATE stock_picking SET dataprotect_marketplace_id = NULL;
                UPDATE account_move SET dataprotect_marketplace_id = NULL;
                UPDATE res_partner SET dataprotect_marketplace_id = NULL;
                DELETE FROM dataprotect_marketplace_crm_team_rel;
                UPDATE dataprotect_marketplace
                   SET email_domains = NULL, order_number_pattern = NULL;
                """,
                {"ids": ids},
            )
            cr.commit()
        done = threading.Event()
        waits = []

        def write_orders():
            """Another user: writes an order of the pass, one after the other
            (Odoo's log of the queries that clashed is left out)."""
            logging.getLogger("odoo.sql_db").setLevel(logging.CRITICAL)
            with copy.cursor() as cr:
                for n in itertools.count():
                    if done.is_set():
                        return
                    started = time.perf_counter()
                    while True:  # retried on a clash, as Odoo retries a request
                        try:
                            cr.execute(
                                "UPDATE sale_order SET note = %s WHERE id = %s",
                                [f"<p>edited {n}</p>", ids[(n * 7919) % len(ids)]],
                            )
                            cr.commit()
                            break
                        except errors.SerializationFailure:
                            cr.rollback()
                    waits.append(time.perf_counter() - started)
                    time.sleep(0.02)

        writer = threading.Thread(target=write_orders)
        with copy.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            tagger, job = env["dataprotect.tagger"], env["dataprotect.job"]
            writer.start()
            started = time.perf_counter()
            env.ref(
                "dataprotect.marketplace_amazon"
            ).order_number_pattern = r"\d{3}-\d{7}-\d{7}"
            cr.commit()
            calls = 0
            # then the requests cron, call after call, each committed
            while tagger._pending():
                job.run_requests()
                cr.commit()
                env.invalidate_all()
                calls += 1
            elapsed = time.perf_counter() - started
            done.set()
            writer.join()
            logging.getLogger("odoo.sql_db").setLevel(logging.NOTSET)
            cr.execute(
                """SELECT count(*) FILTER (WHERE id = ANY(%s)),
                          count(*) FILTER (WHERE NOT id = ANY(%s))
                   FROM sale_order WHERE dataprotect_tag_reason = 'order_number'""",
                [ids, ids],
            )
            tagged, webshop = cr.fetchone()
    return elapsed, calls, tagged, webshop, len(waits), max(waits, default=0)


def form_specification(env, model):
    """What the web client asks for when it opens ``model``'s form: every
    field of Odoo's form view, a many2one with its name, the lines of an
    x2many (a page of 40) with their names."""
    fields_ = env[model].get_views([(False, "form")])["models"][model]["fields"]
    spec = {}
    for name, field in fields_.items():
        if field["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field["type"] in ("one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}, "limit": 40}
        else:
            spec[name] = {}
    return spec


READER = "bench_reader"


def access_log(registry, ids, repeat):
    """(f): a sales manager opens each order's form and its buyer's, as the
    browser does (one JSON-RPC request each for the fields of Odoo's form
    views, through Odoo's HTTP stack in this process, each request its own
    transaction), with the access log
    off and on alternating order by order; ``repeat`` runs, the fastest
    counts. Return the times off
    and on and the accesses one run counted; the entries are deleted afterwards."""
    odoo.service.server.load_server_wide_modules()
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", READER)])
        if not user:
            user = env["res.users"].create({"name": "Bench Reader", "login": READER})
        user.write(
            {
                "password": READER,
                "groups_id": [
                    Command.link(env.ref("sales_team.group_sale_manager").id)
                ],
            }
        )
        uid = user.id
        user_env = env(user=user)
        order_form = form_specification(user_env, "sale.order")
        partner_form = form_specification(user_env, "res.partner")
    client = Client(odoo.http.root)

    def rpc(route, params):
        response = client.post(
            route,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
            json={"jsonrpc": "2.0", "method": "call", "params": params},
        )
        data = response.get_json()
        if "error" in data:
            raise RuntimeError(data["error"]["data"]["name"])
        return data["result"]

    def web_read(model, id_, specification):
        return rpc(
            f"/web/dataset/call_kw/{model}/web_read",
            {
                "model": model,
                "method": "web_read",
                "args": [[id_]],
                "kwargs": {"specification": specification},
            },
        )[0]

    def counted():
        with registry.cursor() as cr:
            cr.execute(
                "SELECT coalesce(sum(count), 0) FROM dataprotect_access_log "
                "WHERE user_id = %s",
                [uid],
            )
            return cr.fetchone()[0]

    Log = registry["dataprotect.access.log"]
    original = Log._log

    def read_forms():
        """Each order's forms read twice, with the log off and on, which
        first alternating: the machine's drift hits both alike."""
        elapsed = {False: 0.0, True: 0.0}
        try:
            for n, id_ in enumerate(ids):
                for logged in (n % 2 == 0, n % 2 == 1):
                    Log._log = original if logged else lambda self, records, kind: None
                    started = time.perf_counter()
                    order = web_read("sale.order", id_, order_form)
                    web_read("res.partner", order["partner_id"]["id"], partner_form)
                    elapsed[logged] += time.perf_counter() - started
        finally:
            Log._log = original
        return elapsed[False], elapsed[True]

    rpc(
        "/web/session/authenticate",
        {"db": registry.db_name, "login": READER, "password": READER},
    )
    before = counted()
    runs = [read_forms() for _run in range(repeat)]
    accesses = counted() - before
    with registry.cursor() as cr:
        cr.execute("DELETE FROM dataprotect_access_log WHERE user_id = %s", [uid])
    t_off, t_on = min(runs, key=sum)
    return t_off, t_on, accesses // repeat


def leftovers(env, orders):
    """Buyers' e-mail addresses left on the orders' partners and messages."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """SELECT (SELECT count(*) FROM res_partner p JOIN sale_order so
                         ON p.id = so.partner_id WHERE so.id = ANY(%(ids)s)
                        AND p.email LIKE %(email)s)
                    + (SELECT count(*) FROM mail_message m
                        WHERE m.model = 'sale.order' AND m.res_id = ANY(%(ids)s)
                          AND m.body LIKE %(body)s)""",
            ids=orders.ids,
            email="%@bench.example",
            body="%@bench.example%",
        )
    )
    return env.cr.fetchone()[0]


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
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="run each measurement this many times and keep the fastest "
        "(this machine's timings vary by about 25%% from run to run)",
    )
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--batch", type=int, help="orders per batch (default: the addon's setting)"
    )
    parser.add_argument(
        "--parallel",
        type=int,
        help="batches one call works at once (default: the addon's setting)",
    )
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
        if args.batch:
            env["ir.config_parameter"].set_param("dataprotect.batch_size", args.batch)
        if args.parallel:
            env["ir.config_parameter"].set_param(
                "dataprotect.parallel_batches", args.parallel
            )
        # a tagging pass left by the update (the requests cron's work)
        while env["dataprotect.tagger"]._step():
            cr.commit()
        cr.commit()
        batch = env["dataprotect.job"]._batch_size()
        parallel = env["dataprotect.job"]._parallel_batches()
        ids = orders.ids
    if args.build_only:
        return
    n = len(ids)

    def measure(function):
        """Run function(env, orders) ``--repeat`` times, each in a transaction
        of its own, on freshly vacuumed tables, rolled back (every run sees
        the data as built); return the result of the fastest run (results
        begin with the time). The job is measured on copies instead, as it
        commits."""
        results = []
        for _run in range(args.repeat):
            vacuum(registry)
            with registry.cursor() as cr:
                env = api.Environment(cr, odoo.SUPERUSER_ID, {})
                results.append(function(env, env["sale.order"].browse(ids)))
                cr.rollback()
        return min(results, key=lambda result: result[0])

    def job():
        """As the cron runner calls it: batch after batch, each committed,
        until none is due; on a copy of the database."""
        vacuum(registry)
        with database_copy(registry) as copy, copy.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            orders = env["sale.order"].browse(ids)
            job = env["dataprotect.job"]
            calls = 0
            started, queries = time.perf_counter(), sql_db.sql_counter
            while job.run_scheduled():
                cr.commit()
                env.invalidate_all()
                calls += 1
            cr.commit()
            elapsed = time.perf_counter() - started
            queries = sql_db.sql_counter - queries
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            done = orders.search_count(
                [("id", "in", orders.ids), ("dataprotect_anonymized_at", "!=", False)]
            )
            return elapsed, queries, calls, peak, done, leftovers(env, orders)

    # the job first: the peak memory of the process is then the job's
    t_addon, queries, calls, peak, done, left_addon = min(
        (job() for _run in range(args.repeat)), key=lambda result: result[0]
    )
    sample = ids[: args.sample]
    t_naive, _q, _r = measure(
        lambda env, orders: timed(lambda: naive(env, orders.browse(sample)))
    )
    t_floor, _q, left_floor = measure(
        lambda env, orders: timed(
            lambda: sql_floor(env, orders) or leftovers(env, orders)
        )
    )

    t_coverage, coverage_calls, coverage_places = measure(check_coverage)

    naive_total = t_naive / len(sample) * n
    print(
        f"orders: {n} ({done} anonymized by the job in {calls} calls, each "
        f"working up to {parallel} batches of {batch} at once); "
        f"buyers' e-mails left: (a) {left_addon}, (c) {left_floor}"
    )
    print(f"fastest of {args.repeat} runs of each measurement")
    print(
        f"(a) addon      {t_addon:8.1f} s  {n / t_addon:8.0f} orders/s"
        f"  ({t_addon / n * 1000:.2f} ms per order)"
    )
    print(
        f"(b) naive ORM  {naive_total:8.1f} s  {n / naive_total:8.0f} orders/s"
        f"  (sample of {len(sample)}, extrapolated)"
    )
    print(f"(c) SQL floor  {t_floor:8.1f} s  {n / t_floor:8.0f} orders/s")
    print(
        f"a/b = {t_addon / naive_total:.2f} "
        f"(the addon {naive_total / t_addon:.1f}x as fast as naive)   "
        f"a/c = {t_addon / t_floor:.2f}"
    )
    print(f"peak memory (RSS) of the Odoo process, job included: {peak / 1024:.0f} MiB")
    print(f"SQL queries per order: {queries / n:.2f}")
    print(
        f"(d) coverage check of one order: {t_coverage:.1f} s in "
        f"{coverage_calls} calls; places: {coverage_places or 'none'}"
    )
    # (f) on and off interleaved, on the same 1,000 orders, fastest of each
    forms = ids[:1000]
    # once: off and on alternate order by order, so drift hits both alike
    t_off, t_on, accesses = access_log(registry, forms, 1)
    print(
        f"(f) opening the forms of {len(forms)} active buyers' orders and their "
        f"partners over HTTP, one request each, the access log off and on "
        f"alternating (one run): {t_off:.1f} s without it, {t_on:.1f} s with it "
        f"({(t_on / t_off - 1) * 100:+.1f} %, "
        f"{(t_on - t_off) / (2 * len(forms)) * 1000:.2f} ms per request; "
        f"{accesses} accesses counted)"
    )
    t_tag, tag_calls, tagged, webshop, writes, wait = tagging(registry, ids)
    print(
        f"(e) tagging {n} existing orders by a new order-number rule (one run): "
        f"{t_tag:.1f} s ({t_tag / n * 1000:.2f} ms per order), the save and "
        f"{tag_calls} calls of the requests cron, {tagged} tagged, {webshop} "
        f"webshop orders tagged; another "
        f"connection wrote {writes} orders meanwhile, longest wait "
        f"{wait * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
