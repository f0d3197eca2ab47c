# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.osv import expression

from ..other_apps import OTHER_APPS
from ..personal_data import (
    CLEAR,
    DELETE,
    PARTNER_COPIES,
    SCRUB,
    Field,
    columns,
    html_fields,
    personal_fields,
)
from ..tools import in_ids

# The generic rule, for an installed model that no declaration covers (an app
# the registry does not know): its records that point at the people (a stored
# many2one to res.partner) or hold their e-mail address are the people's. On
# them the fields that copy a partner are emptied, and the people's known
# values scrubbed from every other stored text, custom fields included.
EMAIL_FIELDS = ("email_normalized", "email")
# Left alone by the generic rule: the seller's own records and settings that
# point at a partner (a user, a company, a vendor, a warehouse, a template),
# accounting records (the law keeps them; their partner is anonymized in
# place), an opt-out (kept so that it is honoured), and Odoo's plumbing that
# goes with the partner.
GENERIC_EXCLUDED = frozenset(
    {
        "res.users",
        "res.company",
        "res.bank",
        "res.partner.autocomplete.sync",
        "res.users.settings.volumes",
        "mail.followers",
        "mail.message.reaction",
        "mail.push.device",
        "mail.template",
        "mail.gateway.allowed",
        "mail.blacklist",
        "mailing.mailing",
        "discuss.channel.member",
        "calendar.filters",
        "stock.warehouse",
        "stock.rule",
        "stock.warehouse.orderpoint",
        "stock.quant",
        "stock.scrap",
        "product.supplierinfo",
        "procurement.group",
    }
)
GENERIC_EXCLUDED_PREFIXES = ("account.", "ir.", "base.", "dataprotect.")


class Base(models.AbstractModel):
    """The personal-data registry's hooks, on every model (see
    ``personal_data.py``). A model that holds a person's data overrides the
    first two; the others change how its records are anonymized."""

    _inherit = "base"

    # A model's declaration: ``{field name: personal_data.Field}``, merged
    # along the model's classes (an extension adds to it or overrides a field)
    _dataprotect_fields = {}

    def _dataprotect_personal_fields(self):
        """``{field name: personal_data.Field}``: the fields of this model
        that hold a person's data, and what anonymizing does with each: its
        classes' ``_dataprotect_fields``. Called on empty recordsets too; a
        model may add fields that depend on the records (``self``)."""
        declared = dict(OTHER_APPS[self._name][0]) if self._name in OTHER_APPS else {}
        for cls in reversed(type(self).__mro__):
            declared.update(cls.__dict__.get("_dataprotect_fields", {}))
        if (
            not declared
            and not self.env.context.get("dataprotect_declared_only")
            and self._dataprotect_generic_links()
        ):
            return self._dataprotect_generic_fields()
        return declared

    @api.model
    def _dataprotect_declared(self):
        """Whether the model has a declaration of its own (or its app's)."""
        return bool(
            self.with_context(
                dataprotect_declared_only=True
            )._dataprotect_personal_fields()
        )

    @api.model
    def _dataprotect_generic_links(self):
        """``(partner fields, e-mail field)`` by which a record of this model
        is a person's under the generic rule, or None where the rule does not
        apply to the model."""
        if (
            self._abstract
            or self._transient
            or not self._auto
            or self._name in GENERIC_EXCLUDED
            or self._name.startswith(GENERIC_EXCLUDED_PREFIXES)
        ):
            return None
        partner = [
            name
            for name, field in self._fields.items()
            if field.type == "many2one"
            and field.comodel_name == "res.partner"
            and field.store
            and field.ondelete != "cascade"
        ]
        email = next(
            (
                name
                for name in EMAIL_FIELDS
                # a column: a related e-mail (a team member's, its user's)
                # is the user's, and searching by it reads the users
                if name in self._fields
                and self._fields[name].store
                and self._fields[name].column_type
            ),
            None,
        )
        return (partner, email) if partner or email else None

    @api.model
    def _dataprotect_generic_fields(self):
        """The generic rule's declaration: the stored texts."""
        return {
            name: Field(CLEAR if name in PARTNER_COPIES else SCRUB)
            for name, field in self._fields.items()
            if field.type in ("char", "text", "html")
            and field.column_type
            and not field.translate
            and not field.company_dependent
        }

    @api.model
    def _dataprotect_personal_records(self, plan):
        """The records of this model that hold the data of the people
        ``plan`` anonymizes (``plan.records(model)`` gives another model's).
        By default, those of the plan's messages, for a model that has them
        (``mail_message_id``)."""
        if self._name in OTHER_APPS:
            return OTHER_APPS[self._name][1](self, plan)
        links = self._dataprotect_generic_links()
        if links and not self._dataprotect_declared():
            partner, email = links
            return self.with_context(active_test=False).search(
                expression.OR(
                    [[(name, "in", in_ids(plan.partners.ids))] for name in partner]
                    + ([[(email, "in", plan.emails())]] if email else [])
                )
            )
        field = self._fields.get("mail_message_id")
        if field and field.comodel_name == "mail.message":
            return self.search(
                [("mail_message_id", "in", in_ids(plan.records("mail.message").ids))]
            )
        return self.browse()

    def _dataprotect_earlier_values(self, plan):
        """Values of the people that these records (the plan's) hold and no
        field declares ``known``, such as a partner's earlier e-mail address
        in a tracked change: searched for and replaced too."""
        return []

    def _dataprotect_exempt_records(self):
        """Of these records, those the law protects: their ``SCRUB`` fields
        with a reason (``Field.exempt``) are left as they are, and counted."""
        return self.browse()

    def _dataprotect_plan_exempt(self, plan):
        """``_dataprotect_exempt_records``, looked up once per plan for the
        plan's records (a model's own rule may ask before the base rule)."""
        return plan.memo_records(self, "exempt", self._dataprotect_exempt_records)

    def _dataprotect_wholly_personal(self, plan):
        """Of these records, those that hold nothing but the people's data
        (which may include values no harvest knows): their ``SCRUB`` fields
        are cleared instead of scrubbed."""
        return self.browse()

    def _dataprotect_anonymize(self, scrubber, plan, stats):
        """Apply the registry's rules to these records (``plan``'s records of
        this model): clear the ``CLEAR`` columns and scrub the ``SCRUB``
        ones, one UPDATE each per table, and count the rows changed."""
        rules = personal_fields(self)
        if any(field.rule == DELETE for field in rules.values()):
            kept = self._dataprotect_exempt_records()
            stats.add(self._name, "exempted", len(kept))
            stats.add(self._name, "anonymized", len(self - kept))
            (self - kept).sudo().unlink()
            return
        clear = columns(self, [n for n, f in rules.items() if f.rule == CLEAR])
        scrub = [n for n, f in rules.items() if f.rule == SCRUB]
        html = html_fields(self, rules)
        kept = [n for n in scrub if rules[n].exempt]
        exempt = self._dataprotect_plan_exempt(plan) if kept else self.browse()
        whole = self._dataprotect_wholly_personal(plan) - exempt
        free = [n for n in scrub if n not in kept]
        changed = scrubber.update(self - exempt - whole, clear, scrub, html)
        changed += scrubber.update(whole, clear + scrub)
        changed += scrubber.update(exempt, clear, free, html)
        stats.add(self._name, "anonymized", changed)
        stats.add(self._name, "exempted", scrubber.count(exempt, kept, html))
