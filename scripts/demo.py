"""Fill a database that has dataprotect installed with marketplace orders of
various ages, run the anonymization job once, and print what it did.

Usage: python scripts/demo.py -c ODOO_CONF -d DATABASE
"""

import argparse
from datetime import timedelta

import odoo
from odoo import Command, api, fields

BUYERS = [
    # (tag, name, street, email, phone, shipped days ago, state)
    (
        "A",
        "Erika Mustermann",
        "Heidestrasse 17",
        "erika.mustermann@example.de",
        "+49 221 1234567",
        45,
        "shipped",
    ),
    (
        "B",
        "Jonas Schmidt",
        "Lindenallee 3",
        "jonas.schmidt@example.de",
        "+49 30 7654321",
        40,
        "shipped",
    ),
    (
        "C",
        "Aylin Yilmaz",
        "Rosenweg 8",
        "aylin.yilmaz@example.de",
        "+49 89 5550100",
        31,
        "shipped",
    ),
    (
        "D",
        "Lukas Becker",
        "Bahnhofstrasse 21",
        "lukas.becker@example.de",
        "+49 40 5550200",
        29,
        "shipped",
    ),
    (
        "E",
        "Mia Wagner",
        "Schillerplatz 4",
        "mia.wagner@example.de",
        "+49 711 5550300",
        10,
        "shipped",
    ),
    (
        "F",
        "Noah Hoffmann",
        "Am Markt 1",
        "noah.hoffmann@example.de",
        "+49 351 5550400",
        40,
        "cancelled",
    ),
    (
        "G",
        "Lea Schulz",
        "Gartenstrasse 12",
        "lea.schulz@example.de",
        "+49 511 5550500",
        40,
        "partial",
    ),
]


def build(env):
    """The demo story: an Amazon sales team and its orders, one webshop order."""
    amazon = env.ref("dataprotect.marketplace_amazon")
    amazon_team = env["crm.team"].create({"name": "Amazon DE"})
    webshop_team = env["crm.team"].create({"name": "Webshop"})
    amazon.team_ids = [Command.set(amazon_team.ids)]
    product = env["product.product"].create(
        {
            "name": "Teekanne",
            "type": "consu",
            "list_price": 29.9,
            "invoice_policy": "order",
        }
    )
    germany = env.ref("base.de")
    now = fields.Datetime.now()
    orders = {}

    def order_for(tag, name, street, email, phone, days, state, team):
        buyer = env["res.partner"].create(
            {
                "name": name,
                "street": street,
                "zip": "50667",
                "city": "Koeln",
                "country_id": germany.id,
                "email": email,
                "phone": phone,
                "child_ids": [
                    Command.create(
                        {
                            "type": "delivery",
                            "name": f"{name} (Lieferung)",
                            "street": street,
                            "zip": "50667",
                            "city": "Koeln",
                            "country_id": germany.id,
                        }
                    )
                ],
            }
        )
        order = env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "partner_shipping_id": buyer.child_ids.id,
                "team_id": team.id,
                "client_order_ref": f"302-0000000-000000{tag}",
                "note": f"<p>Bitte bei {name} klingeln</p>",
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_confirm()
        order.message_post(body=f"<p>Versand an {name}, {street}, {phone}</p>")
        when = now - timedelta(days=days)
        picking = order.picking_ids
        if state == "cancelled":
            order._action_cancel()
            env.flush_all()
            order.dataprotect_cancel_date = when
            return order
        for move in picking.move_ids:
            move.quantity = 1 if state == "partial" else move.product_uom_qty
            move.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        picking.date_done = when
        order._create_invoices().action_post()
        return order

    for buyer in BUYERS:
        orders[buyer[0]] = order_for(*buyer, amazon_team)
    # a repeat buyer: an old order is due, a recent one keeps the buyer's address
    repeat = order_for(
        "H",
        "Paul Fischer",
        "Kirchgasse 5",
        "paul.fischer@example.de",
        "+49 221 5550600",
        45,
        "shipped",
        amazon_team,
    )
    recent = env["sale.order"].create(
        {
            "partner_id": repeat.partner_id.id,
            "team_id": amazon_team.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 1})
            ],
        }
    )
    recent.action_confirm()
    orders["H"] = repeat
    # not from a marketplace: never touched
    orders["W"] = order_for(
        "W",
        "Sophie Weber",
        "Hafenstrasse 9",
        "sophie.weber@example.de",
        "+49 421 5550700",
        60,
        "shipped",
        webshop_team,
    )
    return orders


def describe(partner):
    return (
        f"name={partner.name!r} street={partner.street!r} email={partner.email!r} "
        f"phone={partner.phone!r} zip/city={partner.zip} {partner.city}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        orders = build(env)
        env.flush_all()
        due = env["sale.order"].search([("dataprotect_due", "=", True)])
        print(
            f"Demo data: {len(orders) + 1} orders, {len(due)} of them due for "
            "anonymization."
        )
        example = orders["A"]
        print(f"Order {example.name}, buyer before: {describe(example.partner_id)}")
        cron = env.ref("dataprotect.ir_cron_dataprotect_anonymize")
        cron.method_direct_trigger()
        env.invalidate_all()
        run = env["dataprotect.run"].search([], limit=1)
        print(f"Order {example.name}, buyer after:  {describe(example.partner_id)}")
        print(
            f"Anonymization run: {run.state}; {run.order_count} orders and "
            f"{run.partner_count} partners anonymized, {run.skipped_count} partners "
            f"skipped (still used by another order), {run.exempted_count} records "
            "kept for legal reasons."
        )
        for line in run.line_ids:
            print(
                f"  {line.model:<24} anonymized {line.anonymized_count:>3}  "
                f"skipped {line.skipped_count:>3}  exempted {line.exempted_count:>3}"
            )
        for _tag, order in sorted(orders.items()):
            status = (
                f"anonymized {order.dataprotect_anonymized_at}"
                if order.dataprotect_anonymized_at
                else "personal data active"
            )
            if order.dataprotect_anonymized_at and not (
                order.partner_id.dataprotect_anonymized_at
            ):
                status += " (buyer kept: a newer order still needs it)"
            origin = order.dataprotect_marketplace_id.name or "no marketplace"
            print(
                f"  {order.name} ({origin}, {order.state}): {status}; "
                f"buyer {order.partner_id.name!r}"
            )
        cr.commit()


if __name__ == "__main__":
    main()
