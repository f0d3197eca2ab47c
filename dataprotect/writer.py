# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bulk writer: one UPDATE per table for a batch's rows.

Everything here that touches the ORM's internals is fenced in this module.
It relies on Odoo 18.0's cache API (``env.cache.get_dirty_fields``,
``clear_dirty_field``, ``update_raw``, ``get``, ``get_until_miss``),
``Field.write`` filling the cache, ``Field.compute_value`` and
``Field.mapped``, the registry's ``field_depends`` and ``field_computed``,
``BaseModel.modified``, ``Environment.records_to_compute`` and
``_recompute_all``; an upgrade of Odoo must check these first, and that the
compute methods of ``COMPUTED_ALIKE`` still read nothing but their
dependencies and the fields listed with them (the tests of the scheduled job
fail if they change).
"""

from odoo.tools import SQL

from .tools import id_array

# Stored fields whose compute method reads nothing but the fields it depends
# on (``@api.depends``), the environment and the fields listed with it
# (checked in Odoo 18.0's code, base, mail and phone_validation; no module of
# Odoo overrides them): ``write_rows`` computes each once per set of records
# alike in those fields (``_compute_alike``), in this order (the complete name
# depends on the commercial company name).
COMPUTED_ALIKE = {
    "res.partner": {
        # reads the commercial partner's is_company, which it does not declare
        "commercial_company_name": ("commercial_partner_id.is_company",),
        "complete_name": (),
        "email_normalized": (),
        "phone_sanitized": (),
    },
}


def update_rows(cr, model, fields_, rows, assignments=()):
    """One UPDATE of the model's table: on each row of ``rows``, ``(id,
    *values)``, set ``fields_`` to the values, and the ``assignments`` (SQL)."""
    cr.execute(
        SQL(
            # t.id = ANY(...) too: with the join alone, the whole table is
            # scanned (once per batch)
            "UPDATE %s t SET %s FROM (VALUES %s) AS v(id, %s) "
            "WHERE t.id = v.id AND t.id = ANY(%s)",
            SQL.identifier(model._table),
            SQL(", ").join(
                [
                    *assignments,
                    *(
                        SQL(
                            "%s = v.%s::%s",
                            SQL.identifier(field.name),
                            SQL.identifier(field.name),
                            SQL(field.column_type[1]),
                        )
                        for field in fields_
                    ),
                ]
            ),
            # one SQL object for all rows: one per value cost about 0.1 s per
            # 1,000 orders
            SQL(
                ", ".join(
                    ["(" + ", ".join(["%s"] * (len(fields_) + 1)) + ")"] * len(rows)
                ),
                *(value for row in rows for value in row),
            ),
            SQL(", ").join(SQL.identifier(field.name) for field in fields_),
            id_array(row[0] for row in rows),
        )
    )


def write_rows(env, writes):
    """Write ``writes``, pairs ``(records, values)`` (the same values on
    all records of a pair), with one UPDATE per table and set of changed
    fields, that also sets the stored fields Odoo computes from these
    values (complete name, normalized e-mail and phone, an invoice's
    partner name). The ORM computes those, with its own code, from the new
    values in its cache (those of ``COMPUTED_ALIKE`` once per set of
    records alike); only the writing is done here.

    An ORM ``write()`` would write each row again for the fields computed
    later, 100 rows per statement, and run the models' ``write()``: a
    partner's syncs its address to its child contacts one by one, and they
    are all anonymized here anyway. Values computed for other records are
    left to the ORM's flush."""
    env.flush_all()
    writes = [(records, values) for records, values in writes if records]
    # fields that change on some record: their dependents are recomputed
    for records, values in writes:
        fields_ = [records._fields[fname] for fname in values]
        env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE id = ANY(%s)",
                SQL(", ").join(
                    SQL(
                        "bool_or(%s IS DISTINCT FROM %s)",
                        SQL.identifier(field.name),
                        field.convert_to_column(values[field.name], records),
                    )
                    for field in fields_
                ),
                SQL.identifier(records._table),
                id_array(records.ids),
            )
        )
        changed = zip(fields_, env.cr.fetchone(), strict=True)
        # before the new values are in the cache: the searches it makes
        # must not write them yet
        records.modified([field.name for field, held in changed if held])
    log = {"write_uid": env.uid, "write_date": env.cr.now()}
    writes = [
        (records, values | log if records._log_access else values)
        for records, values in writes
    ]
    for records, values in writes:
        for fname, value in values.items():
            records._fields[fname].write(records, value)
    for records, _values in writes:
        _compute_alike(records)
    env._recompute_all()
    for records, values in writes:
        _write_computed(env, records, values)


def _compute_alike(records):
    """Compute the fields of ``COMPUTED_ALIKE`` that are to compute on
    ``records`` once per set of records with the same values in what the
    compute depends on and reads, and give the others of the set the same value.
    Odoo computes them one record at a time (a partner's complete name in
    some 20 µs), while the records of a batch, the same values written on
    all, are mostly alike: a few sets of a thousand partners."""
    env = records.env
    depends = records.pool.field_depends
    for fname, read in COMPUTED_ALIKE.get(records._name, {}).items():
        field = records._fields.get(fname)
        if (
            field is None
            or records.pool.field_computed.get(field) != [field]
            or records.pool.field_depends_context.get(field)
        ):
            continue
        todo = records.browse(
            sorted(set(env.records_to_compute(field)._ids).intersection(records._ids))
        )
        if len(todo) < 2:
            continue
        keys = zip(
            *(_path_values(todo, path) for path in (*depends[field], *read)),
            strict=True,
        )
        alike = {}
        for id_, key in zip(todo._ids, keys, strict=True):
            alike.setdefault(key, []).append(id_)
        for ids in alike.values():
            first = records.browse(ids[0])
            field.compute_value(first)
            field.write(records.browse(ids[1:]), first[fname])


def _path_values(records, path):
    """The value of each record at ``path``, a field it depends on
    (``parent_id.name``), read from the cache at once: of a many2one on the
    way, only whether it is set (two children of parents of the same name
    are alike to a compute that depends on the parent's name). Where a path
    goes through a list of records (a one2many) or a text per language or
    company, each record is its own: no record is alike to another."""
    env = records.env
    model = records
    current = list(records._ids)
    key = [() for _ in current]
    names = path.split(".")
    for i, name in enumerate(names, 1):
        field = model._fields[name]
        if (
            field.type in ("one2many", "many2many")
            or field.translate
            or field.company_dependent
        ):
            return list(records._ids)
        targets = model.browse(dict.fromkeys(filter(None, current)))
        # fetched or computed into the cache, as reading them would
        field.mapped(targets)
        values = env.cache.get_until_miss(targets, field)
        if len(values) < len(targets):
            return list(records._ids)
        found = dict(zip(targets._ids, values, strict=True))
        current = [found.get(id_) if id_ else None for id_ in current]
        if field.type == "many2one" and i < len(names):
            key = [(*k, bool(v)) for k, v in zip(key, current, strict=True)]
            model = env[field.comodel_name]
        else:
            key = [(*k, v) for k, v in zip(key, current, strict=True)]
    return key


def _write_computed(env, records, values):
    """The UPDATEs of ``write_rows`` for one table: ``values`` and the
    fields the ORM has computed (dirty in its cache) for these records,
    one UPDATE per set of such fields."""
    cache = env.cache
    ids = set(records.ids)
    fields_ = [records._fields[fname] for fname in values]
    computed = [
        field
        for field in cache.get_dirty_fields()
        if field.model_name == records._name
        and field.name not in values
        and not field.company_dependent
        and not field.translate
        and field not in records.pool.field_depends_context
    ]
    # the records' dirty fields are written here, other records' are left
    own = {}
    for field in [*fields_, *computed]:
        dirty = cache.clear_dirty_field(field)
        others = records.browse(id_ for id_ in dirty if id_ not in ids)
        if others:
            cache.update_raw(
                others,
                field,
                [cache.get(record, field) for record in others],
                dirty=True,
            )
        if field in computed:
            for id_ in ids.intersection(dirty):
                own.setdefault(id_, []).append(field)
    groups = {}
    for id_ in records.ids:
        groups.setdefault(tuple(own.get(id_, ())), []).append(id_)
    constants = [
        SQL(
            "%s = %s",
            SQL.identifier(field.name),
            field.convert_to_column(values[field.name], records),
        )
        for field in fields_
    ]
    for computed_fields, group_ids in groups.items():
        group = records.browse(group_ids)
        if not computed_fields:
            env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE id = ANY(%s)",
                    SQL.identifier(records._table),
                    SQL(", ").join(constants),
                    id_array(group.ids),
                )
            )
            continue
        rows = [
            (
                record.id,
                *(
                    field.convert_to_column_update(cache.get(record, field), record)
                    for field in computed_fields
                ),
            )
            for record in group
        ]
        update_rows(env.cr, records, computed_fields, rows, constants)
