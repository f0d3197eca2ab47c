# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DataprotectRunPlace(models.Model):
    """A place where a coverage check found values of the person it
    anonymized (in a savepoint, rolled back): a column of a table, or a
    file. Counts only, never the values."""

    _name = "dataprotect.run.place"
    _description = "Data Protection Coverage Place"
    _order = "run_id, kind, table_name, column_name"

    run_id = fields.Many2one(
        "dataprotect.run", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(
        [("column", "Column"), ("file", "File")], required=True, readonly=True
    )
    table_name = fields.Char(string="Table", readonly=True)
    column_name = fields.Char(string="Column or File", readonly=True)
    record_count = fields.Integer(
        string="Rows Left",
        readonly=True,
        help="Rows (or files) that still hold a value of the person: a gap "
        "in what anonymizing covers.",
    )
    exempted_count = fields.Integer(
        string="Kept by Law",
        readonly=True,
        help="Rows (or files) that hold a value because the law keeps them "
        "unchanged: invoice documents, messages protected by the accounting "
        "audit trail.",
    )
