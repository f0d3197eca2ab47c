# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import traceback

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class DataprotectRun(models.Model):
    """What one run of the anonymization did: counts only, no personal data."""

    _name = "dataprotect.run"
    _description = "Data Protection Run"
    _order = "date_start desc, id desc"
    _rec_name = "date_start"

    trigger = fields.Selection(
        selection=[("cron", "Scheduled")],
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
    state = fields.Selection(
        selection=[("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="running",
        required=True,
        readonly=True,
    )
    error = fields.Char(
        readonly=True,
        help="The kind of error that stopped the run (never its text, which may "
        "quote personal data). Nothing of the failed batch was changed.",
    )
    line_ids = fields.One2many(
        "dataprotect.run.line", "run_id", string="Counts", readonly=True
    )
    order_count = fields.Integer(string="Orders Anonymized", readonly=True)
    partner_count = fields.Integer(string="Partners Anonymized", readonly=True)
    skipped_count = fields.Integer(
        string="Partners Skipped",
        readonly=True,
        help="Partners left as they are because another document still needs them.",
    )
    exempted_count = fields.Integer(
        string="Exempted",
        readonly=True,
        help="Records kept unchanged for legal reasons: invoice documents, text "
        "on hashed invoice lines, messages protected by the audit trail.",
    )

    @api.model
    def _start(self, trigger, marketplace=None):
        return self.create(
            {"trigger": trigger, "marketplace_id": marketplace and marketplace.id}
        )

    def _log_finished(self, stats):
        self.ensure_one()
        self.write(
            {
                "state": "done",
                "date_end": fields.Datetime.now(),
                "order_count": stats[("sale.order", "anonymized")],
                "partner_count": stats[("res.partner", "anonymized")],
                "skipped_count": sum(
                    n for (_model, outcome), n in stats.items() if outcome == "skipped"
                ),
                "exempted_count": sum(
                    n for (_model, outcome), n in stats.items() if outcome == "exempted"
                ),
                "line_ids": [
                    fields.Command.create({"model": model, **counts})
                    for model, counts in self._counts_per_model(stats).items()
                ],
            }
        )

    @api.model
    def _counts_per_model(self, stats):
        counts = {}
        for (model, outcome), count in sorted(stats.items()):
            counts.setdefault(model, {})[f"{outcome}_count"] = count
        return counts

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
    skipped_count = fields.Integer(string="Skipped (shared)", readonly=True)
    exempted_count = fields.Integer(string="Exempted (legal)", readonly=True)

    @api.depends("model")
    def _compute_model_description(self):
        for line in self:
            model = self.env.get(line.model)
            line.model_description = (
                model._description if model is not None else line.model
            )
