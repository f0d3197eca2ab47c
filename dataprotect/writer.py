# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bulk writer: one UPDATE per table for a batch's rows.

Everything here that touches the ORM's internals is fenced in this module.
It relies on Odoo 18.0's cache API (``env.cache.get_dirty_fields``,
``clear_dirty_field``, ``update_raw``, ``get``), ``Field.write`` filling the
cache, ``BaseModel.modified`` and ``Environment._recompute_all``; an upgrade
of Odoo must check these first (the tests of the scheduled job fail if they
change).
"""

from odoo.tools import SQL

from .tools import id_array


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
    values in its cache; only the writing is done here.

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
    env._recompute_all()
    for records, values in writes:
        _write_computed(env, records, values)


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
