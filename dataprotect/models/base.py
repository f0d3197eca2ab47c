# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..personal_data import (
    CLEAR,
    SCRUB,
    Field,
    columns,
    html_fields,
    personal_fields,
)

# Models of apps dataprotect does not depend on: a model can only be extended
# where its app is installed, so their part of the registry is declared here
# (field rules, and how to find their records in a plan).
OTHER_APPS = {
    "sms.sms": (
        {"number": Field(SCRUB), "body": Field(SCRUB)},
        lambda model, plan: model.search(
            [
                "|",
                ("mail_message_id", "in", plan.records("mail.message").ids),
                ("partner_id", "in", plan.partners.ids),
            ]
        ),
    ),
    "snailmail.letter": (
        {"street": Field(CLEAR), "street2": Field(CLEAR)},
        lambda model, plan: model.search([("partner_id", "in", plan.partners.ids)]),
    ),
}


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
        return declared

    @api.model
    def _dataprotect_personal_records(self, plan):
        """The records of this model that hold the data of the people
        ``plan`` anonymizes (``plan.records(model)`` gives another model's).
        By default, those of the plan's messages, for a model that has them
        (``mail_message_id``)."""
        if self._name in OTHER_APPS:
            return OTHER_APPS[self._name][1](self, plan)
        field = self._fields.get("mail_message_id")
        if field and field.comodel_name == "mail.message":
            return self.search(
                [("mail_message_id", "in", plan.records("mail.message").ids)]
            )
        return self.browse()

    def _dataprotect_exempt_records(self):
        """Of these records, those the law protects: their ``SCRUB`` fields
        with a reason (``Field.exempt``) are left as they are, and counted."""
        return self.browse()

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
        clear = columns(self, [n for n, f in rules.items() if f.rule == CLEAR])
        scrub = [n for n, f in rules.items() if f.rule == SCRUB]
        html = html_fields(self, rules)
        kept = [n for n in scrub if rules[n].exempt]
        exempt = self._dataprotect_exempt_records() if kept else self.browse()
        whole = self._dataprotect_wholly_personal(plan)
        free = [n for n in scrub if n not in kept]
        changed = scrubber.update(self - exempt - whole, clear, scrub, html)
        changed += scrubber.update(whole, clear + scrub)
        changed += scrubber.update(exempt, clear, free, html)
        stats.add(self._name, "anonymized", changed)
        stats.add(self._name, "exempted", scrubber.count(exempt, kept, html))
