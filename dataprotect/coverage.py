# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where values are still stored: every text column of the whole database,
and the files of given attachments (PDF text included). The coverage check
and the tests use it to prove that anonymizing left nothing; it reports
places and counts, never the values."""

import io
import logging

from odoo.tools import SQL
from odoo.tools.pdf import PdfFileReader

from .tools import trusted

_logger = logging.getLogger(__name__)

TEXT_TYPES = ("text", "character varying", "jsonb", "json")


def text_columns(cr):
    """``[(table, column)]``: the text columns of the database's tables,
    sorted (as Python compares them)."""
    cr.execute(
        """
        SELECT c.table_name, c.column_name FROM information_schema.columns c
        JOIN information_schema.tables t
          ON t.table_name = c.table_name AND t.table_schema = c.table_schema
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
          AND c.data_type = ANY(%s)
        """,
        [list(TEXT_TYPES)],
    )
    return sorted(tuple(row) for row in cr.fetchall())


def column_places(cr, values):
    """``{(table, column): rows}``: the text columns of the database whose
    text holds one of the values, compared case-insensitively, with the
    number of rows that do."""
    places = {}
    for table, column in text_columns(cr):
        count = column_count(cr, values, table, column)
        if count:
            places[(table, column)] = count
    return places


def _rows(cr, select, values, table, column):
    """``SELECT select`` of the rows of the table whose column holds one of
    the values (compared case-insensitively); None without values."""
    patterns = [f"%{value.lower()}%" for value in values if value]
    if not patterns:
        return None
    cr.execute(
        SQL(
            "SELECT %s FROM %s WHERE lower(%s::text) LIKE ANY(%s)",
            select,
            SQL.identifier(table),
            SQL.identifier(column),
            patterns,
        )
    )
    return cr.fetchall()


def column_count(cr, values, table, column):
    """How many rows of the table hold one of the values in the column."""
    rows = _rows(cr, SQL("count(*)"), values, table, column)
    return rows[0][0] if rows else 0


def column_ids(cr, values, table, column):
    """The ids of the rows of the table that hold one of the values in the
    column."""
    return [row[0] for row in _rows(cr, SQL("id"), values, table, column) or ()]


def file_text(attachment):
    """The text of an attachment's file: a PDF's extracted text, else its
    bytes decoded."""
    # the addon's own search: an export file is read too (a ZIP shows no text)
    raw = trusted(attachment).raw or b""
    if raw.startswith(b"%PDF"):
        try:
            pdf = PdfFileReader(io.BytesIO(raw), strict=False)
            return " ".join(
                " ".join((page.extract_text() or "").split()) for page in pdf.pages
            )
        except Exception as error:  # noqa: BLE001 -- an unreadable PDF is reported as such
            _logger.info(
                "dataprotect: a PDF could not be read (%s)", type(error).__name__
            )
    return raw.decode("utf-8", errors="ignore")


def file_places(attachments, values):
    """The attachments whose file holds one of the values."""
    lowered = [value.lower() for value in values if value]
    return attachments.filtered(
        lambda attachment: any(
            value in file_text(attachment).lower() for value in lowered
        )
    )
