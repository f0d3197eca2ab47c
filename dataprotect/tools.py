# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL

# Up to this many ids, ``lookup_each`` looks each one up; beyond, reading the
# whole table costs less (a preview of the whole backlog).
LOOKUP_EACH_MAX = 5000


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
            ids,
            condition,
        )
    return SQL(
        "SELECT found.* FROM unnest(%s::int[]) c(id) CROSS JOIN LATERAL "
        "(SELECT %s FROM %s t WHERE t.%s = c.id AND %s OFFSET 0) found",
        ids,
        select,
        SQL.identifier(table),
        SQL.identifier(column),
        condition,
    )
