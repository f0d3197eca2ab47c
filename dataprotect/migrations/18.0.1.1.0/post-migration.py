# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0 recognises marketplace orders by rules, and says why an order
is tagged: until then every tagged order was tagged for its sales team, and
the shipped Amazon record had no rules (its data is not updated)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute(
        "UPDATE sale_order SET dataprotect_tag_reason = 'team' "
        "WHERE dataprotect_marketplace_id IS NOT NULL "
        "AND dataprotect_tag_reason IS NULL"
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    amazon = env.ref("dataprotect.marketplace_amazon", raise_if_not_found=False)
    if amazon and not (amazon.email_domains or amazon.order_number_pattern):
        amazon.write(
            {
                "email_domains": "marketplace.amazon.*",
                "order_number_pattern": r"\d{3}-\d{7}-\d{7}",
            }
        )
