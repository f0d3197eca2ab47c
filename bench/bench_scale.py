"""The benchmark at scale: the addon on the databases ``bench/scale.py``
builds (60 % marketplace orders already anonymized, 30 % webshop orders, 10 %
marketplace orders active), measured on a small and a large one in one run.

First the active marketplace orders' deliveries are dated so that exactly
2,000 of them are due (shipped 31 days ago, the others 5 days ago). Then:

- the screens, each the fastest of three calls as the web client makes them,
  in a transaction rolled back: the settings screen (a new settings record
  with every field of Odoo's settings form), the marketplace's form, the
  orders list filtered on "due" (a page of 80 and the count) and the preview;
- the daily run: the job over the 2,000 due orders, called and committed as
  Odoo's cron runner does, on a copy of the database;
- on the large database only, the first-install backlog: on a copy, all
  active marketplace orders due and as many webshop orders moved to the
  marketplace's sales team, so that 200,000 orders (at 1M) are due at once,
  worked off call after call, with the process's memory after each call;
- the coverage check of the marketplace, in a transaction rolled back;
- the purge of the marketplace (all its active orders) on a copy: the
  confirmation's counts, then the requests cron call after call.

Usage: python bench/bench_scale.py -c ODOO_CONF -d SMALL_DB -d LARGE_DB
"""

import argparse
import resource
import time
from datetime import timedelta

from bench_anonymize import check_coverage, database_copy, form_specification, vacuum

import odoo
from odoo import api, fields
from odoo.tools import SQL

DUE = 2000
REPEAT = 3


def rss():
    """The process's resident memory now, in MiB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def date_deliveries(registry):
    """The active marketplace orders' deliveries dated so that the DUE
    oldest orders are due and the others are not; returns the marketplace's
    id, its retention and the number of active orders."""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        marketplace = env.ref("dataprotect.marketplace_amazon")
        days = marketplace.retention_days
        cr.execute(
            """SELECT so.id FROM sale_order so
                WHERE so.dataprotect_marketplace_id = %s
                  AND so.dataprotect_anonymized_at IS NULL ORDER BY so.id""",
            (marketplace.id,),
        )
        active = [row[0] for row in cr.fetchall()]
        now = fields.Datetime.now().replace(microsecond=0)
        # the orders' stored retention start with them (as the ORM would)
        for table, column in (("stock_picking", "sale_id"), ("sale_order", "id")):
            cr.execute(
                SQL(
                    """UPDATE %(table)s SET %(date)s = CASE
                              WHEN %(order)s = ANY(%(due)s) THEN %(long_ago)s
                              ELSE %(recently)s END
                        WHERE %(order)s = ANY(%(active)s)""",
                    table=SQL.identifier(table),
                    date=SQL.identifier(
                        "date_done"
                        if table == "stock_picking"
                        else "dataprotect_retention_start"
                    ),
                    order=SQL.identifier(column),
                    due=active[:DUE],
                    long_ago=now - timedelta(days=days + 1),
                    recently=now - timedelta(days=5),
                    active=active,
                )
            )
        return marketplace.id, days, len(active)


def fastest(registry, function):
    """The fastest of REPEAT calls of function(env), each in a transaction
    rolled back; returns (seconds, result)."""
    results = []
    for _run in range(REPEAT):
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            started = time.perf_counter()
            result = function(env)
            results.append((time.perf_counter() - started, result))
            cr.rollback()
    return min(results, key=lambda r: r[0])


def screens(registry, marketplace_id):
    """(settings, marketplace form, due filter, preview): seconds each (the
    views' field lists are read first, untimed)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        settings_spec = form_specification(env, "res.config.settings")
        marketplace_spec = form_specification(env, "dataprotect.marketplace")
        views = env["sale.order"].get_views([(False, "list")])
        list_spec = dict.fromkeys(views["models"]["sale.order"]["fields"], {})

    def settings(env):
        return env["res.config.settings"].onchange({}, [], settings_spec)

    def marketplace_form(env):
        marketplace = env["dataprotect.marketplace"].browse(marketplace_id)
        values = marketplace.web_read(marketplace_spec)[0]
        return values["order_count"], values["due_order_count"]

    def due_filter(env):
        result = env["sale.order"].web_search_read(
            [("dataprotect_due", "=", True)], list_spec, limit=80, count_limit=10001
        )
        return result["length"]

    def preview(env):
        wizard = env["dataprotect.preview.wizard"].create(
            {"marketplace_id": marketplace_id}
        )
        return f"{wizard.total_count} due, {wizard.order_count} counted"

    return {
        "settings screen": fastest(registry, settings)[0],
        "marketplace form": fastest(registry, marketplace_form),
        "due filter": fastest(registry, due_filter),
        "preview": fastest(registry, preview),
    }


def work_off(registry, call):
    """Call call(env) and commit, as the cron runner does, until it reports
    nothing left; returns (seconds, calls, memory after the first call,
    highest memory after a call, memory after the last)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        calls, memory = 0, []
        started = time.perf_counter()
        pending = True
        while pending:
            pending = call(env)
            cr.commit()
            env.invalidate_all()
            calls += 1
            memory.append(rss())
        return time.perf_counter() - started, calls, memory


def anonymized(registry, ids):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM sale_order WHERE id = ANY(%s)"
            " AND dataprotect_anonymized_at IS NOT NULL",
            (ids,),
        )
        return cr.fetchone()[0]


def due_ids(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        return env["sale.order"]._dataprotect_due_ids()


def daily(registry):
    """The job over the due orders, on a copy: (orders, seconds, memory)."""
    with database_copy(registry) as copy:
        ids = due_ids(copy)
        seconds, calls, memory = work_off(
            copy, lambda env: env["dataprotect.job"].run_scheduled()
        )
        return len(ids), anonymized(copy, ids), seconds, calls, memory


def backlog(registry, marketplace_id, active):
    """All active orders and as many webshop orders due at once (their
    deliveries 40 days ago, the webshop orders moved to the marketplace's
    sales team with their deliveries, invoices and partners), worked off
    by the job on a copy."""
    with database_copy(registry) as copy:
        with copy.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            team = env["dataprotect.marketplace"].browse(marketplace_id).team_ids[:1]
            cr.execute(
                """CREATE TEMP TABLE moved AS SELECT id FROM sale_order
                    WHERE dataprotect_marketplace_id IS NULL ORDER BY id LIMIT %s""",
                (active,),
            )
            cr.execute(
                SQL(
                    """UPDATE sale_order SET team_id = %(team)s,
                              dataprotect_marketplace_id = %(mp)s,
                              dataprotect_tag_reason = 'team'
                        WHERE id IN (SELECT id FROM moved);
                       UPDATE stock_picking SET dataprotect_marketplace_id = %(mp)s
                        WHERE sale_id IN (SELECT id FROM moved);
                       UPDATE account_move SET dataprotect_marketplace_id = %(mp)s
                        WHERE invoice_origin IN (SELECT name FROM sale_order
                            WHERE id IN (SELECT id FROM moved));
                       UPDATE res_partner SET dataprotect_marketplace_id = %(mp)s
                        WHERE id IN (
                            SELECT unnest(ARRAY[partner_id, partner_invoice_id,
                                                partner_shipping_id])
                              FROM sale_order WHERE id IN (SELECT id FROM moved)
                            UNION SELECT p.id FROM res_partner p JOIN sale_order so
                               ON so.partner_id = p.parent_id
                            WHERE so.id IN (SELECT id FROM moved));
                       UPDATE stock_picking SET date_done = %(shipped)s
                        WHERE sale_id IN (SELECT id FROM sale_order
                            WHERE dataprotect_marketplace_id = %(mp)s
                              AND dataprotect_anonymized_at IS NULL);
                       UPDATE sale_order SET dataprotect_retention_start = %(shipped)s
                        WHERE dataprotect_marketplace_id = %(mp)s
                          AND dataprotect_anonymized_at IS NULL""",
                    team=team.id,
                    mp=marketplace_id,
                    shipped=fields.Datetime.now() - timedelta(days=40),
                )
            )
        vacuum(copy)
        ids = due_ids(copy)
        seconds, calls, memory = work_off(
            copy, lambda env: env["dataprotect.job"].run_scheduled()
        )
        return len(ids), anonymized(copy, ids), seconds, calls, memory


def purge(registry, marketplace_id):
    """The purge of the marketplace on a copy: the confirmation (the
    wizard's counts), then the requests cron until it is done."""
    with database_copy(registry) as copy:
        with copy.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            marketplace = env["dataprotect.marketplace"].browse(marketplace_id)
            ids = env["sale.order"].search(marketplace._active_order_domain()).ids
            started, before = time.perf_counter(), rss()
            wizard = env["dataprotect.purge.wizard"].create(
                {"marketplace_id": marketplace_id, "mode": "purge"}
            )
            confirmation = (time.perf_counter() - started, before, rss())
            wizard.confirm_name = marketplace.name
            wizard.action_confirm()

        def request(env):
            env["dataprotect.job"].run_requests()
            return env["dataprotect.run"].search_count([("state", "=", "running")])

        seconds, calls, memory = work_off(copy, request)
        return len(ids), anonymized(copy, ids), confirmation, seconds, calls, memory


def report_work(label, orders, done, seconds, calls, memory):
    print(
        f"{label}: {orders} orders ({done} anonymized) in {seconds:.1f} s, "
        f"{seconds / max(orders, 1) * 1000:.2f} ms per order, {calls} calls; "
        f"memory after the first call {memory[0]:.0f} MiB, highest "
        f"{max(memory):.0f} MiB, after the last {memory[-1]:.0f} MiB"
    )
    return seconds / max(orders, 1)


def measure(database, large):
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*), count(dataprotect_marketplace_id),"
            " count(dataprotect_anonymized_at) FROM sale_order"
        )
        orders, marketplace_orders, done = cr.fetchone()
        cr.execute("SELECT count(*) FROM mail_message")
        messages = cr.fetchone()[0]
    marketplace_id, days, active = date_deliveries(registry)
    vacuum(registry)
    print(
        f"\n== {database}: {orders} orders ({marketplace_orders} marketplace, "
        f"{done} of them anonymized, {active} active, {DUE} due after "
        f"{days} days), {messages} messages"
    )
    figures = {"screens": screens(registry, marketplace_id)}
    for name, value in figures["screens"].items():
        seconds, result = value if isinstance(value, tuple) else (value, None)
        print(
            f"{name}: {seconds * 1000:.0f} ms"
            + (f" (shows {result})" if result is not None else "")
        )
    figures["daily"] = report_work("daily run", *daily(registry))
    if large:
        figures["backlog"] = report_work(
            "first-install backlog", *backlog(registry, marketplace_id, active)
        )
    seconds, (_elapsed, calls, places) = fastest(
        registry,
        lambda env: check_coverage(
            env,
            env["sale.order"].search(
                [("dataprotect_marketplace_id", "!=", False)], limit=1
            ),
        ),
    )
    print(
        f"coverage check: {seconds:.1f} s in {calls} calls; places: {places or 'none'}"
    )
    figures["coverage"] = seconds
    orders, done, confirmation, seconds, calls, memory = purge(registry, marketplace_id)
    counting, before, after = confirmation
    print(
        f"purge confirmation (counting what it changes): {counting:.1f} s, "
        f"memory {before:.0f} MiB before, {after:.0f} MiB after (the purge's "
        "calls follow in the same process)"
    )
    figures["purge"] = report_work("purge", orders, done, seconds, calls, memory)
    odoo.modules.registry.Registry.delete(database)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", action="append", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    small = measure(args.database[0], large=False)
    large = measure(args.database[-1], large=True)
    print("\n== ratios, large against small")
    print(f"daily run, time per order: {large['daily'] / small['daily']:.2f}")
    print(
        "first-install backlog against the daily run, time per order: "
        f"{large['backlog'] / large['daily']:.2f}"
    )
    print(f"purge, time per order: {large['purge'] / small['purge']:.2f}")
    for name, value in large["screens"].items():
        seconds = value[0] if isinstance(value, tuple) else value
        verdict = "under" if seconds < 0.3 else "OVER"
        print(f"{name}: {seconds * 1000:.0f} ms ({verdict} 300 ms)")


if __name__ == "__main__":
    main()
