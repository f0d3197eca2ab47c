# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import form_action, id_array

ACCESS_LOG_DAYS_PARAM = "dataprotect.access_log_days"
KINDS = [
    ("form", "Opened"),
    ("list", "Listed"),
    ("rpc", "Read over the API"),
    ("export", "Exported from a list"),
    ("report", "Printed"),
    ("download", "Export file downloaded"),
]


class DataprotectAccessLog(models.Model):
    """Who read the personal data of marketplace buyers whose data is still
    active: one entry per user, record and kind of access per hour, with a
    count. It holds ids and counts, never the data itself. Nobody may write
    it (no access right allows it) or delete it; the requests cron deletes
    what is older than the retention (``dataprotect.access_log_days``)."""

    _name = "dataprotect.access.log"
    _description = "Access to Buyers' Personal Data"
    _order = "hour desc, id desc"
    _log_access = False
    _sql_constraints = [
        (
            "one_per_hour",
            "UNIQUE(hour, user_id, model, res_id, kind)",
            "One entry per user, record and kind of access per hour.",
        )
    ]

    hour = fields.Datetime(
        required=True,
        readonly=True,
        index=True,
        help="The hour the accesses fell into: repeated accesses of a user to "
        "a record within the hour are counted in one entry.",
    )
    last_at = fields.Datetime(string="Last Access", readonly=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    model = fields.Char(required=True, readonly=True)
    model_description = fields.Char(
        string="Record Type", compute="_compute_model_description"
    )
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="model", required=True, readonly=True
    )
    kind = fields.Selection(KINDS, string="Access", required=True, readonly=True)
    marketplace_id = fields.Many2one(
        "dataprotect.marketplace", readonly=True, ondelete="set null"
    )
    count = fields.Integer(string="Accesses", readonly=True)

    @api.depends("model")
    @api.depends_context("lang")
    def _compute_model_description(self):
        names = self.env["dataprotect.run.line"]._model_names(set(self.mapped("model")))
        for entry in self:
            entry.model_description = names.get(entry.model, entry.model)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The access log cannot be deleted."))

    def action_open_record(self):
        """Open the record (reading it is logged, like any other access)."""
        self.ensure_one()
        return form_action(self.env[self.model].browse(self.res_id), "current")

    # ------------------------------------------------------------------
    # writing the log
    # ------------------------------------------------------------------

    @api.model
    def _log(self, records, kind):
        """Count an access of the current user to those of ``records`` (orders,
        deliveries, invoices or partners) whose buyers' data is active: tagged
        and not anonymized. One statement, whatever the number of records. On
        a read-only cursor (a read replica) it fails, and Odoo runs the request
        again on a read/write one."""
        ids = [id_ for id_ in records._ids if isinstance(id_, int)]
        if not ids or self.env.uid == SUPERUSER_ID:
            return
        records.browse(ids).flush_recordset(
            ["dataprotect_marketplace_id", "dataprotect_anonymized_at"]
        )
        self._upsert(
            kind,
            SQL(
                "SELECT %s, t.id, t.dataprotect_marketplace_id FROM %s t "
                "WHERE t.id = ANY(%s) AND t.dataprotect_marketplace_id IS NOT NULL "
                "AND t.dataprotect_anonymized_at IS NULL",
                records._name,
                SQL.identifier(records._table),
                id_array(ids),
            ),
        )

    @api.model
    def _log_download(self, run):
        """Count a download of an export file (the run holds its records)."""
        self._upsert(
            "download",
            SQL(
                "SELECT %s, %s, %s::int",
                run._name,
                run.id,
                run.marketplace_id.id or None,
            ),
        )

    @api.model
    def _upsert(self, kind, rows):
        """Add an access of ``kind`` by the current user to the ``rows``
        (model, id, marketplace id) selected by the SQL ``rows``."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                "INSERT INTO dataprotect_access_log AS log "
                "(hour, last_at, user_id, kind, count, model, res_id, marketplace_id) "
                "SELECT %s, %s, %s, %s, 1, r.* FROM (%s ORDER BY 2) r "
                "ON CONFLICT (hour, user_id, model, res_id, kind) DO UPDATE "
                "SET count = log.count + 1, last_at = EXCLUDED.last_at",
                now.replace(minute=0, second=0, microsecond=0),
                now,
                self.env.uid,
                kind,
                rows,
            )
        )

    @api.model
    def _retention_days(self):
        return self.env["dataprotect.marketplace"]._int_param(
            ACCESS_LOG_DAYS_PARAM, 365
        )

    @api.model
    def _gc(self, now):
        """Delete the entries older than the retention (by the requests cron)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM dataprotect_access_log WHERE hour < %s",
                now - timedelta(days=self._retention_days()),
            )
        )
        return self.env.cr.rowcount
