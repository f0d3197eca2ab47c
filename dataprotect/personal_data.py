# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The personal-data registry: where a person's data lives, model by model,
and what anonymizing does with each field.

Each model declares its own part by overriding two methods (see
``models/base.py``), the way ``phone_validation`` lets each model name its
phone fields:

- ``_dataprotect_personal_fields()``: ``{field name: Field}``;
- ``_dataprotect_personal_records(plan)``: the records of the model that hold
  the data of the people a ``Plan`` anonymizes.

Another addon, or a seller's own, adds a field or a model by overriding them.
The scheduled job, the purge, the export, the single-person erasure, the
preview's counts and the table in ``docs/personal-data.md`` all read the
registry through the functions below; nothing else lists fields.
"""

from functools import partial
from typing import NamedTuple

from odoo.tools import SQL

from .tools import read_columns

# What anonymizing does with a field
CLEAR = "clear"  # emptied (a binary field's file is deleted)
PLACEHOLDER = "placeholder"  # replaced by the marketplace's placeholder
SCRUB = "scrub"  # the people's known values in it replaced by the placeholder
COMPUTED = "computed"  # computed by Odoo from the fields above, stored anew
DELETE = "delete"  # the whole record is deleted
KEEP = "keep"  # kept, for the reason given

RULES = (PLACEHOLDER, CLEAR, SCRUB, COMPUTED, DELETE, KEEP)
# The names other apps give the fields that copy a partner's values: emptied
# where the records are a person's (the generic rule, an opportunity)
PARTNER_COPIES = frozenset(
    {
        "contact_name",
        "partner_name",
        "email",
        "email_from",
        "email_normalized",
        "email_cc",
        "phone",
        "mobile",
        "phone_sanitized",
        "street",
        "street2",
        "partner_email",
        "partner_phone",
        "partner_address",
    }
)


class Field(NamedTuple):
    """What happens to one field.

    :param rule: one of ``RULES``
    :param known: its values are the person's own, searched for (and
        replaced) in every text the registry scrubs
    :param reason: why it is kept (``KEEP``), or why a ``SCRUB`` field is
        left as it is, or a ``DELETE`` record kept, on records the law
        protects (``exempt_records``); a translatable text (``_lt``) where a
        run shows it
    :param export: the column of the export (``True``: the field's name;
        ``False``: not exported)
    :param subfield: of a many2one, the field exported
    :param html: a text field that holds HTML (``html`` fields always do):
        the placeholder is put in escaped
    """

    rule: str
    known: bool = False
    reason: str = ""
    export: "bool | str" = True
    subfield: str = "display_name"
    html: bool = False

    @property
    def exempt(self):
        """Kept on the records the law protects."""
        return self.rule in (SCRUB, DELETE) and bool(self.reason)


def reason_text(reason, lang="en_US"):
    """A ``Field.reason`` in ``lang`` (the English text where it is not
    translatable)."""
    return reason._translate(lang) if hasattr(reason, "_translate") else reason


def exempt_reasons(records, lang="en_US"):
    """Why the model's records the law protects are kept, in ``lang``: the
    distinct reasons of its exempt fields."""
    reasons = []
    for field in personal_fields(records).values():
        text = reason_text(field.reason, lang) if field.exempt else ""
        if text and text not in reasons:
            reasons.append(text)
    return reasons


def personal_fields(records, rules=RULES):
    """``{field name: Field}`` of the records' model, for the fields of
    ``rules`` that are installed and stored (``records`` may be empty: some
    models declare fields that depend on their records, such as a
    marketplace's gift message field on order lines)."""
    return {
        name: field
        for name, field in records._dataprotect_personal_fields().items()
        if field.rule in rules
        and name in records._fields
        and (records._fields[name].store or field.rule == DELETE)
    }


def shown_fields(records):
    """The fields whose reading shows a person's data (the access log's):
    those anonymizing changes, the partners the records point at (their
    names), and the records' name where it is one of them."""
    names = {
        name for name, field in personal_fields(records).items() if field.rule != KEEP
    }
    names.update(
        name
        for name, field in records._fields.items()
        if field.relational and field.comodel_name == "res.partner"
    )
    if records._rec_name in names:
        names.add("display_name")
    return frozenset(names)


def models(env):
    """The names of the installed models that hold personal data, sorted."""
    return sorted(
        name
        for name, model in env.registry.items()
        if not model._abstract
        and not model._transient
        and env[name]._dataprotect_personal_fields()
    )


def columns(records, names):
    """Of ``names``, the fields of ``records`` stored in a column of their
    own (binary fields stored as attachments are not)."""
    return [name for name in names if records._fields[name].column_type]


def known_values(records):
    """The personal values of the records (those of the fields declared
    ``known``), as strings: what the scrubber searches for elsewhere."""
    return [
        value for values in known_values_by_record(records).values() for value in values
    ]


def known_values_by_record(records):
    """``{id: [value]}``: ``known_values`` of each record, read at once."""
    fields_ = [
        records._fields[name]
        for name, field in personal_fields(records).items()
        if field.known
    ]
    if not records or not fields_:
        return {}
    # plain columns in one query; the texts stored by company or language
    # (a company-dependent barcode) with every company's and language's
    # value, in one query too (the ORM reads the current company's only);
    # the others through the ORM
    plain = [
        f.name
        for f in fields_
        if f.column_type and not f.company_dependent and not f.translate
    ]
    keyed = [
        f.name
        for f in fields_
        if f.column_type
        and (f.company_dependent or f.translate)
        and f.type in ("char", "text", "html")
    ]
    others = [f.name for f in fields_ if f.name not in plain + keyed]
    rows = {id_: [] for id_ in records.ids}
    if plain:
        for id_, *row in read_columns(records, plain):
            rows[id_] += row
    if keyed:
        every_value = partial(SQL, "ARRAY(SELECT value FROM jsonb_each_text(%s))")
        for id_, *row in read_columns(records, keyed, every_value):
            rows[id_] += row
    if others:
        for row in records.read(others, load=None):
            rows[row["id"]] += [row[name] for name in others]
    # a list holds values of its own (the values of partners merged into one)
    return {
        id_: [
            v
            for value in values
            for v in (value if isinstance(value, list) else [value])
            if isinstance(v, str)
        ]
        for id_, values in rows.items()
    }


def html_fields(records, rules):
    """Of the fields of ``rules`` (``{name: Field}``), those holding HTML."""
    return {n for n, f in rules.items() if f.html or records._fields[n].type == "html"}


RULE_TEXTS = {
    PLACEHOLDER: "replaced by the placeholder",
    CLEAR: "emptied",
    SCRUB: "the people's known values in it replaced by the placeholder",
    COMPUTED: "computed anew by Odoo from the fields above",
    DELETE: "deleted",
    KEEP: "kept",
}


def table(env):
    """The registry as a Markdown table, as ``docs/personal-data.md`` shows
    it: the declarations of the installed models and of the apps the addon
    knows without depending on them (fields that depend on the records, such
    as a marketplace's gift message field, are left out)."""
    from .other_apps import OTHER_APPS  # noqa: PLC0415 -- it imports this module

    declared = {}
    for name in models(env):
        records = env[name].with_context(dataprotect_declared_only=True)
        declared[name] = records._dataprotect_personal_fields()
    for name, (fields_, _finder) in OTHER_APPS.items():
        declared.setdefault(name, fields_)
    lines = [
        "| model | field | anonymizing | searched for elsewhere | kept because |",
        "|---|---|---|---|---|",
    ]
    for model in sorted(declared):
        for fname, field in declared[model].items():
            if model in env and fname not in env[model]._fields:
                continue
            rule = RULE_TEXTS[field.rule]
            odoo_field = env[model]._fields.get(fname) if model in env else None
            if field.rule == CLEAR and odoo_field and not odoo_field.column_type:
                rule = "its file deleted"
            lines.append(
                f"| `{model}` | `{fname}` | {rule} | "
                f"{'yes' if field.known else ''} | {reason_text(field.reason)} |"
            )
    return "\n".join(lines) + "\n"
