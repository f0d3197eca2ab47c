# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io
from contextlib import contextmanager

from odoo.tools import SQL

# PostgreSQL settings of a plan's transaction, from the plan on (reset when the
# transaction ends). JIT off: a plan looks a few thousand ids up one at a time
# (``lookup_each``), which PostgreSQL estimates so costly that it compiles the
# queries, for longer than they run: planning 2,400 orders took 7.7 s instead
# of 0.3 s; and a batch's queries, once the job has bloated the tables, cross
# jit_above_cost too (0.5 s per batch at 20,000 orders).
PLAN_SETTINGS = {"jit": "off"}
# Up to this many ids, ``lookup_each`` looks each one up; beyond, reading the
# whole table costs less (a preview of the whole backlog).
LOOKUP_EACH_MAX = 5000


def id_array(ids):
    """SQL of the integer array of ``ids``, passed as one string
    (``'{1,2,3}'::int[]``). A Python list is adapted id by id into
    ``ARRAY[1,2,3]``, which psycopg2 builds and PostgreSQL parses and plans
    element by element, about 1.7 µs per id on both sides together; a batch
    of 1,000 orders passes some 100,000 ids (see docs/benchmark.md)."""
    return SQL("%s::int[]", "{" + ",".join(map(str, map(int, ids))) + "}")


def in_ids(ids):
    """The right side of a domain term ``(field, "in", in_ids(ids))`` on a
    batch's ids: ``IN (SELECT unnest(...))`` of one ``id_array``. Given the
    list itself, Odoo converts each id, psycopg2 adapts it and PostgreSQL
    parses it alone; the plan's searches pass some 60,000 ids per batch of
    1,000 orders. No ids: the empty list, on which Odoo runs no query."""
    ids = list(ids)
    return SQL("(SELECT unnest(%s))", id_array(ids)) if ids else []


def lookup_each(ids, table, column, select, condition=None):
    """SQL selecting ``select`` from the rows ``t`` of ``table`` whose
    ``column`` equals one of ``ids`` (``c.id``) and where ``condition`` holds,
    with one index lookup per id.

    Asked for ``column = ANY(ids)`` with a batch's few thousand ids, PostgreSQL
    reads the whole table instead (it prices a random page read at four
    sequential ones), once per batch, which costs more the larger the
    database. The subquery fenced with ``OFFSET 0`` makes it look each id up.
    """
    ids = list(ids)
    condition = condition or SQL("TRUE")
    if len(ids) > LOOKUP_EACH_MAX:
        return SQL(
            "SELECT %s FROM %s t CROSS JOIN LATERAL (SELECT t.%s AS id) c "
            "WHERE t.%s = ANY(%s) AND %s",
            select,
            SQL.identifier(table),
            SQL.identifier(column),
            SQL.identifier(column),
            id_array(ids),
            condition,
        )
    return SQL(
        "SELECT found.* FROM unnest(%s) c(id) CROSS JOIN LATERAL "
        "(SELECT %s FROM %s t WHERE t.%s = c.id AND %s OFFSET 0) found",
        id_array(ids),
        select,
        SQL.identifier(table),
        SQL.identifier(column),
        condition,
    )


@contextmanager
def local_settings(cr, settings):
    """PostgreSQL settings for the queries of the block only (if the block
    raises, rolling back the transaction or savepoint restores them)."""
    cr.execute(
        SQL(
            "SELECT %s",
            SQL(", ").join(SQL("current_setting(%s)", name) for name in settings),
        )
    )
    before = dict(zip(settings, cr.fetchone(), strict=True))
    set_local(cr, settings)
    yield
    set_local(cr, before)


def set_local(cr, settings):
    """Set PostgreSQL settings until the current transaction ends."""
    cr.execute(
        SQL(
            "SELECT %s",
            SQL(", ").join(
                SQL("set_config(%s, %s, true)", name, value)
                for name, value in settings.items()
            ),
        )
    )


def form_action(record, target, **extra):
    """The window action showing ``record`` in its form view."""
    record.ensure_one()
    return {
        "type": "ir.actions.act_window",
        "res_model": record._name,
        "res_id": record.id,
        "view_mode": "form",
        "target": target,
        **extra,
    }


def read_columns(records, fnames, select=SQL):
    """The rows ``(id, *values)`` of the records' table, the columns
    ``fnames`` read in SQL (their pending writes flushed first); ``select``
    makes of each column's identifier the SQL selected (default: the
    column)."""
    records.flush_recordset(fnames)
    records.env.cr.execute(
        SQL(
            "SELECT id, %s FROM %s WHERE id = ANY(%s)",
            SQL(", ").join(select(SQL.identifier(f)) for f in fnames),
            SQL.identifier(records._table),
            id_array(records.ids),
        )
    )
    return records.env.cr.fetchall()


# An export file (an attachment of the anonymization log) holds buyers'
# personal data in bulk: its content is read only under this context key with
# this value, which the download route sets after logging the download (and
# the addon's own searches of files); no RPC call can send it.
EXPORT_READ = "dataprotect_export_read"
TRUSTED = object()


def trusted(attachments):
    """The attachments, their content readable even where it is an export
    file: for the logged download and the addon's own reading only."""
    return attachments.with_context(**{EXPORT_READ: TRUSTED})


def csv_download(record, name, rows):
    """The action downloading ``rows`` (a header, then lines) as the CSV file
    ``name`` (UTF-8 with a byte order mark, which spreadsheets expect),
    kept as an attachment of ``record`` (a report holding no personal data)."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    attachment = (
        record.env["ir.attachment"]
        .sudo()
        .create(
            {
                "name": name,
                "raw": out.getvalue().encode("utf-8-sig"),
                "mimetype": "text/csv",
                "res_model": record._name,
                "res_id": record.id,
            }
        )
    )
    return {
        "type": "ir.actions.act_url",
        "url": f"/web/content/{attachment.id}?download=true",
        "target": "self",
    }
