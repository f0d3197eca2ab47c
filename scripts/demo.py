"""Show the story of the demo database (dataprotect's demo data, loaded when
the addon is installed with demo data: an Amazon sales team, orders shipped 45
and 10 days ago, one confirmed but not shipped, one webshop order), run the
anonymization job once, and print what it did.

Usage: python scripts/demo.py -c ODOO_CONF -d DATABASE
"""

import argparse

import odoo
from odoo import api

# the orders of dataprotect/demo/dataprotect_demo.xml
DEMO_ORDERS = (
    "dataprotect.demo_order_shipped_45_days_ago",
    "dataprotect.demo_order_shipped_10_days_ago",
    "dataprotect.demo_order_unshipped",
    "dataprotect.demo_order_webshop",
)


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
        orders = {xmlid: env.ref(xmlid) for xmlid in DEMO_ORDERS}
        amazon = env.ref("dataprotect.marketplace_amazon")
        print(
            f"Demo data: marketplace {amazon.name} with the sales teams "
            f"{', '.join(amazon.team_ids.mapped('name'))}; {amazon.order_count} "
            f"Amazon orders, {amazon.due_order_count} of them due for anonymization; "
            f"its recognition rules: e-mail domains '{amazon.email_domains}', "
            f"order numbers '{amazon.order_number_pattern}'."
        )
        for order in orders.values():
            dates = [date for date in order.picking_ids.mapped("date_done") if date]
            shipped = f"shipped {max(dates):%Y-%m-%d}" if dates else "not shipped"
            origin = order.dataprotect_marketplace_id.name or "no marketplace"
            if order.dataprotect_tag_reason:
                reason = dict(
                    order._fields["dataprotect_tag_reason"]._description_selection(env)
                )[order.dataprotect_tag_reason]
                origin += f", recognised by: {reason}"
            print(
                f"  {order.name} ({origin}), {shipped}: "
                f"{'due' if order.dataprotect_due else 'not due'}"
            )
        example = orders[DEMO_ORDERS[0]]
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
        for order in orders.values():
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
