"""The benchmark database at scale, built by cloning rows in SQL.

``build`` makes ``dataprotect_scale_N`` from the 2,000-order benchmark
database (``dataprotect_bench_2000``, built by ``bench_anonymize.py``): a copy
of it in which the addon's own job anonymizes the first half of the
marketplace orders, then every order's rows — the order, its lines, delivery,
stock moves, invoice, journal items, buyer and delivery address, messages,
tracking values and followers — are cloned in SQL, generation after
generation, until the database holds N orders: 60 % marketplace and already
anonymized, 30 % webshop, 10 % marketplace and active. Each clone gets fresh
ids (the id plus the generation times the table's largest id, so that every
reference inside the order's rows points at the same generation's clone),
fresh names (``S00042-17``) and unique personal values (``Bench Buyer-17
3-42``, ``Benchstrasse-17 42``, ``buyer3.42.17@bench.example``,
``+49 221 17 …``, the webshop's ``Ladenstrasse-17 42`` and ``+49 89 17 …``; no
clone's value holds the base order's as a substring: the coverage check, which
searches substrings, finds no false leftovers); everything an
order shares with others (product, team, journal, company) is not cloned.

Usage: python bench/scale.py -c ODOO_CONF --base DB -d DATABASE --orders N
"""

import argparse
import math
import time

import odoo
from odoo import api, fields, sql_db
from odoo.tools import SQL

# how the orders of the scale database divide: (category, share)
ANONYMIZED, ACTIVE, WEBSHOP = "anonymized", "active", "webshop"
SHARES = {ANONYMIZED: 0.6, WEBSHOP: 0.3, ACTIVE: 0.1}

# the tables of an order's rows, in the order they are cloned, each with how
# its rows are found from the order's: (table, SQL selecting (id, order id))
FAMILY = (
    ("sale_order", "SELECT id, id FROM sale_order"),
    ("sale_order_line", "SELECT id, order_id FROM sale_order_line"),
    ("procurement_group", "SELECT id, sale_id FROM procurement_group"),
    ("stock_picking", "SELECT id, sale_id FROM stock_picking"),
    (
        "stock_move",
        "SELECT m.id, p.order_id FROM stock_move m"
        " JOIN fam_stock_picking p ON p.id = m.picking_id",
    ),
    (
        "stock_move_line",
        "SELECT l.id, m.order_id FROM stock_move_line l"
        " JOIN fam_stock_move m ON m.id = l.move_id",
    ),
    (
        "account_move",
        "SELECT DISTINCT aml.move_id, sol.order_id FROM account_move_line aml"
        " JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id"
        " JOIN fam_sale_order_line sol ON sol.id = rel.order_line_id",
    ),
    (
        "account_move_line",
        "SELECT l.id, m.order_id FROM account_move_line l"
        " JOIN fam_account_move m ON m.id = l.move_id",
    ),
    (
        "res_partner",
        "SELECT DISTINCT ON (p.id) p.id, so.id FROM sale_order so"
        " JOIN res_partner p ON p.id IN (so.partner_id, so.partner_invoice_id,"
        " so.partner_shipping_id) OR p.parent_id = so.partner_id ORDER BY p.id, so.id",
    ),
    (
        "mail_message",
        "SELECT m.id, f.order_id FROM mail_message m JOIN ("
        " SELECT 'sale.order' AS model, id, order_id FROM fam_sale_order"
        " UNION ALL SELECT 'stock.picking', id, order_id FROM fam_stock_picking"
        " UNION ALL SELECT 'account.move', id, order_id FROM fam_account_move"
        " UNION ALL SELECT 'res.partner', id, order_id FROM fam_res_partner"
        ") f ON f.model = m.model AND f.id = m.res_id",
    ),
    (
        "mail_tracking_value",
        "SELECT t.id, m.order_id FROM mail_tracking_value t"
        " JOIN fam_mail_message m ON m.id = t.mail_message_id",
    ),
    (
        "mail_followers",
        "SELECT fo.id, f.order_id FROM mail_followers fo JOIN ("
        " SELECT 'sale.order' AS model, id, order_id FROM fam_sale_order"
        " UNION ALL SELECT 'stock.picking', id, order_id FROM fam_stock_picking"
        " UNION ALL SELECT 'account.move', id, order_id FROM fam_account_move"
        " UNION ALL SELECT 'res.partner', id, order_id FROM fam_res_partner"
        ") f ON f.model = fo.res_model AND f.id = fo.res_id",
    ),
)
# the relation tables, each cloned with the rows of one side: (table, column,
# family table of that column)
RELATIONS = (
    ("sale_order_line_invoice_rel", "invoice_line_id", "account_move_line"),
    ("account_move_line_account_tax_rel", "account_move_line_id", "account_move_line"),
    ("account_tax_sale_order_line_rel", "sale_order_line_id", "sale_order_line"),
    ("mail_followers_mail_message_subtype_rel", "mail_followers_id", "mail_followers"),
)
# the columns holding (model, id) of a record: table -> (model column, id column)
REFERENCES = {
    "mail_message": ("model", "res_id"),
    "mail_followers": ("res_model", "res_id"),
}
MODEL_TABLES = {
    "sale.order": "sale_order",
    "stock.picking": "stock_picking",
    "account.move": "account_move",
    "res.partner": "res_partner",
}
# names a clone gets with its generation appended (S00042-17)
NAMES = {
    "sale_order": ("name",),
    "procurement_group": ("name",),
    "stock_picking": ("name", "origin"),
    "stock_move": ("reference", "origin"),
    "stock_move_line": ("reference",),
    "account_move": ("name", "invoice_origin", "payment_reference"),
    "account_move_line": ("move_name",),
}
# texts holding a buyer's values, made unique per clone (``scale_text``)
PERSONAL = {
    "res_partner": (
        "name",
        "complete_name",
        "email",
        "email_normalized",
        "phone",
        "phone_sanitized",
        "street",
    ),
    "mail_message": ("body", "email_from", "record_name", "subject"),
    "mail_tracking_value": ("old_value_char", "new_value_char"),
    "account_move": ("invoice_partner_display_name",),
}
# the bench's personal values (bench_anonymize.build) and what a clone of
# generation k makes of them
SCALE_TEXT = """
CREATE FUNCTION pg_temp.scale_text(t text, k int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(t,
    'Bench Buyer ', 'Bench Buyer-' || k || ' '),
    'Bench Delivery ', 'Bench Delivery-' || k || ' '),
    'Benchstrasse ', 'Benchstrasse-' || k || ' '),
    'Lieferweg ', 'Lieferweg-' || k || ' '),
    'Ladenstrasse ', 'Ladenstrasse-' || k || ' '),
    'Ladenweg ', 'Ladenweg-' || k || ' '),
    '@bench.example', '.' || k || '@bench.example'),
    '+49 221 ', '+49 221 ' || k || ' '),
    '+49221', '+49221' || k),
    '+49 89 ', '+49 89 ' || k || ' '),
    '+4989', '+4989' || k)
$$
"""


def categorize(cr):
    """fam_sale_order(id, order_id, category) of the base's orders."""
    cr.execute(
        """CREATE TEMP TABLE fam_sale_order AS
           SELECT so.id, so.id AS order_id, CASE
                  WHEN so.dataprotect_marketplace_id IS NULL THEN %s
                  WHEN so.dataprotect_anonymized_at IS NOT NULL THEN %s
                  ELSE %s END AS category
             FROM sale_order so""",
        (WEBSHOP, ANONYMIZED, ACTIVE),
    )
    cr.execute("ALTER TABLE fam_sale_order ADD PRIMARY KEY (id)")
    for table, rows in FAMILY[1:]:
        cr.execute(
            SQL(
                "CREATE TEMP TABLE %s AS SELECT r.id, r.order_id, o.category"
                " FROM (%s) r(id, order_id) JOIN fam_sale_order o ON o.id = r.order_id",
                SQL.identifier(f"fam_{table}"),
                SQL(rows),
            )
        )
        cr.execute(
            SQL("ALTER TABLE %s ADD PRIMARY KEY (id)", SQL.identifier(f"fam_{table}"))
        )


def foreign_keys(cr):
    """{(table, column): referenced family table} among the family's tables."""
    tables = [table for table, _rows in FAMILY] + [t for t, _c, _f in RELATIONS]
    cr.execute(
        """SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
              AND c.confrelid::regclass::text = ANY(%s)""",
        (tables, [table for table, _rows in FAMILY]),
    )
    return {(table, column): target for table, column, target in cr.fetchall()}


def check_closed(cr, keys, lows):
    """Every reference from a family row to a family table's row at or above
    that table's lowest family id points at a family row: the clones'
    references are then shifted exactly where they must be."""
    for (table, column), target in keys.items():
        side = next((r for r in RELATIONS if r[0] == table), None)
        family = f"fam_{side[2]}" if side else f"fam_{table}"
        join = side[1] if side else "id"
        cr.execute(
            SQL(
                """SELECT count(*) FROM %(table)s t
                     JOIN %(family)s f ON f.id = t.%(join)s
                    WHERE t.%(column)s >= %(low)s
                      AND t.%(column)s NOT IN (SELECT id FROM %(target)s)""",
                table=SQL.identifier(table),
                family=SQL.identifier(family),
                join=SQL.identifier(join),
                column=SQL.identifier(column),
                low=lows[target],
                target=SQL.identifier(f"fam_{target}"),
            )
        )
        stray = cr.fetchone()[0]
        if stray:
            raise SystemExit(
                f"{table}.{column}: {stray} references to {target} rows that are "
                "not an order's: the base database is not the benchmark's"
            )


def generations(cr, orders):
    """gens(category, k): the generations each category is cloned in, k
    unique over all, so that N orders result."""
    cr.execute("SELECT category, count(*) FROM fam_sale_order GROUP BY category")
    base = dict(cr.fetchall())
    cr.execute("CREATE TEMP TABLE gens (category varchar, k int)")
    k = 0
    counts = {}
    for category, share in SHARES.items():
        wanted = math.ceil(orders * share / base[category])
        counts[category] = wanted * base[category]
        rows = [(category, k + i) for i in range(1, wanted)]
        k += wanted
        cr.executemany("INSERT INTO gens VALUES (%s, %s)", rows)
    cr.execute("ANALYZE gens")
    return counts


def column_expression(table, column, keys, lows, strides):
    """The value of a clone of generation g.k for one column."""
    ident = SQL.identifier("t", column)

    def shifted(target, value):
        return SQL(
            "CASE WHEN %(v)s >= %(low)s THEN %(v)s + g.k * %(stride)s ELSE %(v)s END",
            v=value,
            low=lows[target],
            stride=strides[target],
        )

    if column == "id":
        return SQL("t.id + g.k * %s", strides[table])
    if (table, column) in keys:
        return shifted(keys[(table, column)], ident)
    if table in REFERENCES and column == REFERENCES[table][1]:
        model = SQL.identifier("t", REFERENCES[table][0])
        return SQL(
            "CASE %s %s ELSE %s END",
            model,
            SQL(" ").join(
                SQL("WHEN %s THEN %s", name, shifted(target, ident))
                for name, target in MODEL_TABLES.items()
            ),
            ident,
        )
    if column in NAMES.get(table, ()):
        return SQL(
            "CASE WHEN %(v)s IS NULL OR %(v)s = '/' THEN %(v)s"
            " ELSE %(v)s || '-' || g.k END",
            v=ident,
        )
    if column in PERSONAL.get(table, ()):
        return SQL("pg_temp.scale_text(%s, g.k)", ident)
    return ident


def columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = %s
            ORDER BY ordinal_position""",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, keys, lows, strides):
    """Insert every generation's clones, table by table; returns the rows
    inserted per table."""
    inserted = {}
    # an order's rows by their id, then the relations by one side's id
    tables = [(table, "id", table) for table, _rows in FAMILY] + list(RELATIONS)
    for table, column, side in tables:
        names = columns(cr, table)
        started = time.perf_counter()
        cr.execute(
            SQL(
                """INSERT INTO %(table)s (%(names)s)
                   SELECT %(values)s FROM %(table)s t
                     JOIN %(family)s f ON f.id = t.%(column)s
                     JOIN gens g ON g.category = f.category""",
                table=SQL.identifier(table),
                names=SQL(", ").join(SQL.identifier(n) for n in names),
                values=SQL(", ").join(
                    column_expression(table, n, keys, lows, strides) for n in names
                ),
                family=SQL.identifier(f"fam_{side}"),
                column=SQL.identifier(column),
            )
        )
        inserted[table] = cr.rowcount
        print(f"  {table}: {cr.rowcount} rows in {time.perf_counter() - started:.0f} s")
    for table, _rows in FAMILY:
        cr.execute(
            SQL(
                "SELECT setval(%s, (SELECT max(id) FROM %s))",
                f"{table}_id_seq",
                SQL.identifier(table),
            )
        )
    return inserted


def anonymize_half(registry):
    """The addon's job anonymizes the first half of the base's marketplace
    orders; the others' deliveries are dated today first, so that they are not
    due (``bench_scale`` dates them again before it measures)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        orders = env["sale.order"].search(
            [("dataprotect_marketplace_id", "!=", False)], order="id"
        )
        kept = orders[len(orders) // 2 :]
        kept.picking_ids.date_done = fields.Datetime.now()
        cr.commit()
        job = env["dataprotect.job"]
        while job.run_scheduled():
            cr.commit()
        cr.commit()
        return orders.filtered("dataprotect_anonymized_at")


def build(args):
    started = time.perf_counter()
    with sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(args.database)))
        cr.execute(
            SQL(
                "CREATE DATABASE %s TEMPLATE %s",
                SQL.identifier(args.database),
                SQL.identifier(args.base),
            )
        )
    registry = odoo.modules.registry.Registry(args.database)
    done = anonymize_half(registry)
    print(f"the job anonymized {len(done)} of the base's marketplace orders")
    with registry.cursor() as cr:
        cr.execute("SET session_replication_role = replica")  # no FK triggers
        cr.execute("SET maintenance_work_mem = '1GB'")
        cr.execute("SET work_mem = '256MB'")
        cr.execute(SCALE_TEXT)
        categorize(cr)
        keys = foreign_keys(cr)
        lows, strides = {}, {}
        for table, _rows in FAMILY:
            cr.execute(
                SQL(
                    "SELECT (SELECT min(id) FROM %s), (SELECT max(id) + 1 FROM %s)",
                    SQL.identifier(f"fam_{table}"),
                    SQL.identifier(table),
                )
            )
            lows[table], strides[table] = cr.fetchone()
        check_closed(cr, keys, lows)
        counts = generations(cr, args.orders)
        print(f"cloning to {sum(counts.values())} orders: {counts}")
        clone(cr, keys, lows, strides)
        cr.commit()
    odoo.modules.registry.Registry.delete(args.database)
    sql_db.close_db(args.database)
    connection = sql_db.db_connect(args.database)
    with connection.cursor() as cr:
        cr._cnx.autocommit = True
        vacuumed = time.perf_counter()
        cr.execute("VACUUM ANALYZE")
        cr.execute("CHECKPOINT")
        print(f"  VACUUM ANALYZE in {time.perf_counter() - vacuumed:.0f} s")
    sql_db.close_db(args.database)
    print(f"built {args.database} in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--orders", type=int, default=1000000)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    build(args)


if __name__ == "__main__":
    main()
