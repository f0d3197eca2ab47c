# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The registry's part for apps the addon does not depend on (SMS, snail
mail, CRM, Email Marketing, eCommerce, Purchase): a model can only be
extended where its app is installed, so these declarations live here, each
with how to find the model's records in a plan, and ``models/base.py``
serves them where the app is installed. ``{model: (fields, finder)}``."""

from odoo.osv import expression
from odoo.tools import SQL

from .personal_data import CLEAR, DELETE, KEEP, PARTNER_COPIES, SCRUB, Field
from .tools import in_ids

STATISTICS = "kept for statistics: not enough to identify a person"
# what exists only to hold the person (a mailing contact, a trace of a mail
# sent to them, a website visitor): deleted with its other fields
ONLY_THE_PERSON = {"id": Field(DELETE)}


def _pointing(*fnames):
    """Finder: the records whose ``fnames`` point at the plan's partners."""

    def find(model, plan):
        return model.search(
            expression.OR(
                [[(fname, "in", in_ids(plan.partners.ids))] for fname in fnames]
            )
        )

    return find


def _by_email(fname):
    """Finder: the records whose normalized e-mail ``fname`` is one of the
    plan's people's."""
    return lambda model, plan: model.search([(fname, "in", plan.emails())])


def _leads(model, plan):
    """The people's leads and opportunities: by partner, by e-mail, and those
    the plan's orders came from (``sale_crm``)."""
    domain = [
        "|",
        ("partner_id", "in", in_ids(plan.partners.ids)),
        ("email_normalized", "in", plan.emails()),
    ]
    if "opportunity_id" in plan.orders._fields:
        domain = expression.OR([domain, [("id", "in", plan.orders.opportunity_id.ids)]])
    return model.with_context(active_test=False).search(domain)


# Records of other apps that are the seller's own ongoing business with the
# person keep the partner (the shared-partner rule): {model: (column, SQL
# condition on the row ``t``, given whether sales orders have
# ``opportunity_id``)}. An open opportunity is such business, unless it is
# linked to a marketplace order (it then came from the order); a purchase
# order's vendor always is.
PARTNER_HOLDERS = {
    "purchase.order": ("partner_id", lambda linked: SQL("TRUE")),
    "crm.lead": (
        "partner_id",
        lambda linked: SQL(
            """t.active AND NOT EXISTS (SELECT 1 FROM crm_stage st
                                        WHERE st.id = t.stage_id AND st.is_won)
               %s""",
            SQL(
                """AND NOT EXISTS (SELECT 1 FROM sale_order so
                                   WHERE so.opportunity_id = t.id
                                     AND so.dataprotect_marketplace_id IS NOT NULL)"""
            )
            if linked
            else SQL(),
        ),
    ),
}

OTHER_APPS = {
    "sms.sms": (
        {"number": Field(SCRUB), "body": Field(SCRUB)},
        lambda model, plan: model.search(
            [
                "|",
                ("mail_message_id", "in", in_ids(plan.records("mail.message").ids)),
                ("partner_id", "in", in_ids(plan.partners.ids)),
            ]
        ),
    ),
    "snailmail.letter": (
        {"street": Field(CLEAR), "street2": Field(CLEAR)},
        _pointing("partner_id"),
    ),
    "crm.lead": (
        {
            "name": Field(SCRUB),
            **dict.fromkeys(
                sorted(PARTNER_COPIES | {"function", "website"}),
                Field(CLEAR),
            ),
            **dict.fromkeys(("zip", "city"), Field(KEEP, reason=STATISTICS)),
            "description": Field(SCRUB),
        },
        _leads,
    ),
    "mailing.contact": (ONLY_THE_PERSON, _by_email("email_normalized")),
    "mailing.trace": (ONLY_THE_PERSON, _by_email("email")),
    "website.visitor": (ONLY_THE_PERSON, _pointing("partner_id")),
    # a dropship purchase order ships to the buyer's address
    "purchase.order": (
        {"origin": Field(SCRUB), "partner_ref": Field(SCRUB), "notes": Field(SCRUB)},
        _pointing("dest_address_id"),
    ),
}
