# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import traceback
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from .. import personal_data
from ..tools import form_action
from .dataprotect_tagger import REASONS

_logger = logging.getLogger(__name__)


class DataprotectRun(models.Model):
    """The audit log: what one run did -- scheduled, purge, export, erasure or
    preview -- with counts only, never personal data. Read-only for everyone
    and never deleted by the addon."""

    _name = "dataprotect.run"
    _description = "Data Protection Run"
    _order = "date_start desc, id desc"

    trigger = fields.Selection(
        selection=[
            ("cron", "Scheduled"),
            ("purge", "Full purge"),
            ("export", "Export, then purge"),
            ("erasure", "Single-person erasure"),
            ("preview", "Preview"),
            ("coverage", "Coverage check"),
            ("deletion", "Deletion request"),
        ],
        required=True,
        readonly=True,
    )
    marketplace_id = fields.Many2one(
        comodel_name="dataprotect.marketplace", readonly=True, ondelete="set null"
    )
    user_id = fields.Many2one(
        comodel_name="res.users", readonly=True, default=lambda self: self.env.user
    )
    date_start = fields.Datetime(
        string="Started", readonly=True, default=fields.Datetime.now
    )
    date_end = fields.Datetime(string="Finished", readonly=True)
    duration = fields.Float(
        string="Duration (s)", compute="_compute_duration", store=True, readonly=True
    )
    state = fields.Selection(
        selection=[
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("interrupted", "Interrupted"),
        ],
        default="running",
        required=True,
        readonly=True,
    )
    error = fields.Char(
        readonly=True,
        # written in every installed language: read in the reader's
        translate=True,
        help="What stopped the run: the setting that is wrong, or the kind of "
        "error (never its text, which may quote personal data). Nothing of the "
        "failed batch was changed.",
    )
    line_ids = fields.One2many(
        "dataprotect.run.line", "run_id", string="Counts", readonly=True
    )
    order_count = fields.Integer(
        string="Orders Anonymized", compute="_compute_counts", store=True
    )
    partner_count = fields.Integer(
        string="Partners Anonymized", compute="_compute_counts", store=True
    )
    skipped_count = fields.Integer(
        string="Partners Skipped",
        compute="_compute_counts",
        store=True,
        help="Partners left as they are because another document still needs them.",
    )
    exempted_count = fields.Integer(
        string="Exempted",
        compute="_compute_counts",
        store=True,
        help="Records kept unchanged for legal reasons: invoice documents, text "
        "on hashed invoice lines, messages protected by the audit trail.",
    )
    reason_summary = fields.Char(
        string="Orders Recognised By",
        compute="_compute_reason_summary",
        help="Why the run's orders were the marketplace's: their sales team, "
        "a buyer's e-mail domain or their order number.",
    )
    remaining_count = fields.Integer(
        string="Remaining",
        readonly=True,
        help="Orders this purge still has to anonymize, or columns this "
        "coverage check still has to search; it goes on in the background, "
        "the browser may be closed.",
    )
    coverage_resume = fields.Char(
        readonly=True,
        help="The last table and column a coverage check has searched; its "
        "next call goes on after it.",
    )
    scope_order_ids = fields.Many2many(
        comodel_name="sale.order",
        relation="dataprotect_run_sale_order_rel",
        column1="run_id",
        column2="order_id",
        string="Exported Orders",
        readonly=True,
    )
    export_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Export File", readonly=True
    )
    export_expires_at = fields.Datetime(
        string="Export Deleted On",
        readonly=True,
        help="The export file holds personal data: it is deleted automatically "
        "on this date.",
    )
    place_ids = fields.One2many(
        "dataprotect.run.place",
        "run_id",
        string="Places Left",
        readonly=True,
        help="A coverage check anonymizes one order in a savepoint, searches "
        "every text column of the database and the files of its records for "
        "the values it removed, and rolls back: these are the places that "
        "still held one (counts only), those the law keeps counted apart.",
    )
    number_ids = fields.One2many(
        "dataprotect.run.number",
        "run_id",
        string="Order Numbers",
        readonly=True,
        help="A deletion request's order numbers, each with what became of it.",
    )
    duplicate_count = fields.Integer(
        string="Duplicates Skipped",
        readonly=True,
        help="Order numbers the request held more than once (counted once).",
    )
    number_summary = fields.Char(
        string="Order Numbers ",
        compute="_compute_number_summary",
        help="How many of a deletion request's order numbers had each result.",
    )
    download_ids = fields.One2many(
        "dataprotect.run.download", "run_id", string="Downloads", readonly=True
    )

    @api.depends("trigger", "marketplace_id", "date_start")
    @api.depends_context("lang", "uid")
    def _compute_display_name(self):
        """ "Preview · Amazon · 01.12.26, 06:00", in the reader's language and
        time zone (the form's title, the link in Settings)."""
        labels = dict(self._fields["trigger"]._description_selection(self.env))
        for run in self:
            parts = [labels.get(run.trigger, run.trigger), run.marketplace_id.name]
            if run.date_start:
                parts.append(
                    format_datetime(self.env, run.date_start, dt_format="short")
                )
            run.display_name = " · ".join(part for part in parts if part)

    @api.depends("date_start", "date_end")
    def _compute_duration(self):
        for run in self:
            run.duration = (
                (run.date_end - run.date_start).total_seconds() if run.date_end else 0.0
            )

    @api.depends(
        "trigger",
        "line_ids.anonymized_count",
        "line_ids.skipped_count",
        "line_ids.exempted_count",
    )
    def _compute_counts(self):
        for run in self:
            if run.trigger == "preview":
                # a preview anonymized nothing: its lines say what it would
                # have, the log's counts stay those of real runs
                run.order_count = run.partner_count = 0
                run.skipped_count = run.exempted_count = 0
                continue
            anonymized = {line.model: line.anonymized_count for line in run.line_ids}
            run.order_count = anonymized.get("sale.order", 0)
            run.partner_count = anonymized.get("res.partner", 0)
            run.skipped_count = sum(run.line_ids.mapped("skipped_count"))
            run.exempted_count = sum(run.line_ids.mapped("exempted_count"))

    @api.depends(
        "line_ids.by_team_count",
        "line_ids.by_email_count",
        "line_ids.by_order_number_count",
    )
    @api.depends_context("lang")
    def _compute_reason_summary(self):
        for run in self:
            line = run.line_ids.filtered(lambda line: line.model == "sale.order")
            run.reason_summary = self._reason_summary(
                {
                    reason: line[f"by_{reason}_count"]
                    for reason in REASONS
                    if line and line[f"by_{reason}_count"]
                }
            )

    @api.depends("number_ids.state", "duplicate_count")
    @api.depends_context("lang")
    def _compute_number_summary(self):
        labels = dict(
            self.env["dataprotect.run.number"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        for run in self:
            counts = Counter(run.number_ids.mapped("state"))
            parts = [
                f"{label}: {counts[state]}"
                for state, label in labels.items()
                if counts[state]
            ]
            if run.duplicate_count:
                label = run._fields["duplicate_count"]._description_string(self.env)
                parts.append(f"{label}: {run.duplicate_count}")
            run.number_summary = " · ".join(parts)

    @api.model
    def _reason_summary(self, counts):
        """ "Sales Team: 10 · Buyer's E-mail Domain: 2": the orders of a run
        (or a wizard's plan) per reason they were tagged ({reason: count})."""
        labels = dict(
            self.env["sale.order"]
            ._fields["dataprotect_tag_reason"]
            ._description_selection(self.env)
        )
        return " · ".join(
            f"{labels[reason]}: {counts[reason]}"
            for reason in REASONS
            if counts.get(reason)
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The data protection log cannot be deleted."))

    @api.model
    def _start(self, trigger, marketplace=None, **values):
        return self.create(
            {
                "trigger": trigger,
                "marketplace_id": marketplace and marketplace.id,
                **values,
            }
        )

    def _add_stats(self, stats):
        """Add the counts of a batch to the run's counts per model."""
        self.ensure_one()
        per_model = {}
        for (model, outcome), count in stats.items():
            per_model.setdefault(model, {})[f"{outcome}_count"] = count
        lines = {line.model: line for line in self.line_ids}
        for model, counts in sorted(per_model.items()):
            line = lines.get(model)
            if line:
                line.write({f: line[f] + count for f, count in counts.items()})
            else:
                self.env["dataprotect.run.line"].create(
                    {"run_id": self.id, "model": model, **counts}
                )

    def _log_finished(self, stats=None):
        self.ensure_one()
        if stats:
            self._add_stats(stats)
        self.write(
            {"state": "done", "date_end": fields.Datetime.now(), "remaining_count": 0}
        )

    def _log_failed(self, error):
        self.ensure_one()
        # the exception's text may quote personal data: log where it happened only
        frames = "".join(
            traceback.format_list(traceback.extract_tb(error.__traceback__))
        )
        _logger.error(
            "dataprotect: run %s failed with %s; its batch was rolled back. "
            "Raised at:\n%s",
            self.id,
            type(error).__name__,
            frames,
        )
        self.write(
            {
                "state": "failed",
                "date_end": fields.Datetime.now(),
                "error": type(error).__name__,
            }
        )

    def _log_busy(self, error):
        """A batch of this run clashed with another transaction and was rolled
        back; the run goes on with it on the next call."""
        _logger.warning(
            "dataprotect: a batch of run %s met a concurrent change (%s); it was "
            "rolled back and is tried again",
            self.id,
            type(error).__name__,
        )

    @api.model
    def _log_interrupted(self, trigger, marketplace, started):
        """Log a batch whose process ended before it returned (killed, or out
        of memory or time). Its transaction was rolled back as a whole, so
        nothing of it was kept; the next batch goes on."""
        _logger.error(
            "dataprotect: a %s batch started at %s was interrupted; it was "
            "rolled back and the run goes on",
            trigger,
            started,
        )
        run = self._start(
            trigger,
            marketplace,
            state="interrupted",
            date_start=started,
            date_end=fields.Datetime.now(),
        )
        run._write_error(
            lambda env: env._(
                "Interrupted: the process ended during a batch. Nothing of that "
                "batch was kept; the next batch went on with its orders."
            )
        )
        return run

    @api.model
    def _refuse_bad_settings(self, trigger, request=None):
        """Check the settings a run relies on before it changes anything. The
        scheduled run (no ``request``) checks every active marketplace and logs
        a failed run for each one with problems; a purge or export ``request``
        checks its marketplace and fails itself. Return True if the run must
        not go on."""
        if request:
            marketplaces = request.marketplace_id
            lang = request.user_id.lang or self.env.user.lang or "en_US"
        else:
            marketplaces = self.env["dataprotect.marketplace"].sudo().search([])
            lang = self.env.user.lang or "en_US"
        problems = {
            lang: marketplaces.with_context(lang=lang)._setting_problems(trigger)
        }
        if problems[lang]:
            # the other languages' texts, for the readers of the log (only
            # when something is wrong: every call of the job checks)
            for code in self._langs(lang)[1:]:
                problems[code] = marketplaces.with_context(lang=code)._setting_problems(
                    trigger
                )
        for marketplace, messages in problems[lang].items():
            run = request or self._start(trigger, marketplace)
            _logger.error(
                "dataprotect: run %s refused, nothing was changed: %s",
                run.id,
                " ".join(messages),
            )
            run.write({"state": "failed", "date_end": fields.Datetime.now()})
            run._write_error(lambda env, m=marketplace: " ".join(problems[env.lang][m]))
        return bool(problems[lang])

    @api.model
    def _langs(self, first):
        """The installed languages and English (the translations' source),
        ``first`` first."""
        codes = [code for code, _name in self.env["res.lang"].get_installed()]
        return list(dict.fromkeys([first, "en_US", *codes]))

    def _write_error(self, text):
        """Store the error in every installed language, ``text(env)`` giving
        it in ``env``'s: each reader sees it in their own, whoever ran."""
        for code in self._langs("en_US"):
            run = self.with_context(lang=code)
            run.write({"error": text(run.env)})

    def _attach_export(self, name, data):
        """Keep the export file, for managers only, until it expires."""
        self.ensure_one()
        days = self.env["dataprotect.marketplace"]._export_retention_days()
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": data,
                "mimetype": "application/zip",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write(
            {
                "export_attachment_id": attachment.id,
                "export_expires_at": fields.Datetime.now() + timedelta(days=days),
            }
        )

    def action_download_export(self):
        self.ensure_one()
        self.env["dataprotect.marketplace"]._check_manager()
        if not self.export_attachment_id:
            raise UserError(self.env._("The export file of this run has been deleted."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/dataprotect/export/{self.id}",
            "target": "self",
        }

    def _action_open(self):
        """Show the run's log entry (where a purge's progress is seen)."""
        return form_action(self, "current")

    def _log_download(self):
        self.ensure_one()
        self.env["dataprotect.run.download"].sudo().create(
            {"run_id": self.id, "user_id": self.env.user.id}
        )
        self.env["dataprotect.access.log"].sudo()._log_download(self)

    @api.autovacuum
    def _gc_export_files(self):
        """Delete the export files whose retention has passed."""
        expired = self.sudo().search(
            [
                ("export_attachment_id", "!=", False),
                ("export_expires_at", "<=", fields.Datetime.now()),
            ]
        )
        attachments = expired.export_attachment_id
        expired.write({"export_attachment_id": False})
        attachments._dataprotect_unlink_files()


class DataprotectRunLine(models.Model):
    _name = "dataprotect.run.line"
    _description = "Data Protection Run Counts"
    _order = "run_id, model"

    run_id = fields.Many2one(
        "dataprotect.run", required=True, ondelete="cascade", index=True
    )
    model = fields.Char(required=True, readonly=True)
    model_description = fields.Char(
        compute="_compute_model_description", string="Records"
    )
    anonymized_count = fields.Integer(string="Anonymized", readonly=True)
    # orders only: why they were tagged (``sale.order.dataprotect_tag_reason``)
    by_team_count = fields.Integer(string="By Sales Team", readonly=True)
    by_email_count = fields.Integer(string="By E-mail Domain", readonly=True)
    by_order_number_count = fields.Integer(string="By Order Number", readonly=True)
    skipped_count = fields.Integer(string="Skipped (shared)", readonly=True)
    exempted_count = fields.Integer(string="Exempted (legal)", readonly=True)
    exempted_reason = fields.Char(
        compute="_compute_model_description",
        string="Exempted because",
        help="Why the law keeps the exempted records, as the personal-data "
        "registry says it.",
    )

    @api.depends("model", "exempted_count")
    @api.depends_context("lang")
    def _compute_model_description(self):
        names = self._model_names(set(self.mapped("model")))
        for line in self:
            model = self.env.get(line.model)
            line.model_description = names.get(line.model, line.model)
            line.exempted_reason = (
                "; ".join(personal_data.exempt_reasons(model, self.env.lang))
                if model is not None and line.exempted_count
                else False
            )

    @api.model
    def _model_names(self, names):
        """``{model: its name in the reader's language}`` (``_description``
        is English) of the installed ones of ``names``."""
        IrModel = self.env["ir.model"].sudo()
        return {name: IrModel._get(name).name for name in names if name in self.env}


class DataprotectRunDownload(models.Model):
    _name = "dataprotect.run.download"
    _description = "Data Protection Export Download"
    _order = "date desc, id desc"

    run_id = fields.Many2one(
        "dataprotect.run", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True)
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
