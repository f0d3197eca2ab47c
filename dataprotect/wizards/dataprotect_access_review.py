# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..tools import csv_download

# the models whose records show a marketplace buyer's personal data
BUYER_MODELS = ("res.partner", "sale.order", "stock.picking", "account.move")


class DataprotectAccessReview(models.TransientModel):
    """The periodic review of who may read marketplace buyers' data: the
    active internal users whose groups give read access to contacts, orders,
    deliveries or invoices, through which groups, and their last access in
    the access log."""

    _name = "dataprotect.access.review"
    _description = "Access Review of Buyers' Personal Data"

    date = fields.Datetime(string="Reviewed On", default=fields.Datetime.now)
    line_ids = fields.One2many(
        "dataprotect.access.review.line", "review_id", string="Users", readonly=True
    )
    user_count = fields.Integer(
        string="Users Who May Read", compute="_compute_user_count"
    )

    @api.depends("line_ids")
    def _compute_user_count(self):
        for review in self:
            review.user_count = len(review.line_ids)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["dataprotect.marketplace"]._check_manager()
        reviews = super().create(vals_list)
        for review in reviews:
            review.line_ids = [Command.create(values) for values in self._lines()]
        return reviews

    @api.model
    def _lines(self):
        """One line per active internal user who may read one of
        ``BUYER_MODELS``: the groups that allow it (a user's groups include
        the groups they imply), the models, and the access log's figures."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT u.id, array_agg(DISTINCT a.group_id),
                       array_agg(DISTINCT m.model ORDER BY m.model)
                  FROM res_users u
                  JOIN res_groups_users_rel r ON r.uid = u.id
                  JOIN ir_model_access a ON a.group_id = r.gid
                       AND a.perm_read AND a.active
                  JOIN ir_model m ON m.id = a.model_id AND m.model IN %s
                 WHERE u.active AND NOT u.share
                 GROUP BY u.id
                """,
                BUYER_MODELS,
            )
        )
        rows = self.env.cr.fetchall()
        self.env.cr.execute(
            """
            SELECT user_id, max(last_at), sum(count), count(DISTINCT (model, res_id))
              FROM dataprotect_access_log GROUP BY user_id
            """
        )
        log = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        names = self.env["dataprotect.run.line"]._model_names(BUYER_MODELS)
        lines = []
        for user_id, group_ids, models_ in rows:
            last, count, records = log.get(user_id, (False, 0, 0))
            lines.append(
                {
                    "user_id": user_id,
                    "group_ids": [Command.set(group_ids)],
                    "models": ", ".join(names[model] for model in models_),
                    "last_access": last,
                    "access_count": count,
                    "record_count": records,
                }
            )
        return lines

    def _csv_rows(self):
        _ = self.env._
        yield [
            _("User"),
            _("Login"),
            _("Groups Giving Access"),
            _("May Read"),
            _("Last Access"),
            _("Accesses"),
            _("Records Read"),
        ]
        for line in self.line_ids:
            yield [
                line.user_id.name,
                line.user_id.login,
                ", ".join(line.group_ids.mapped("full_name")),
                line.models,
                fields.Datetime.to_string(line.last_access) if line.last_access else "",
                line.access_count,
                line.record_count,
            ]

    def action_download_csv(self):
        self.env["dataprotect.marketplace"]._check_manager()
        self.ensure_one()
        name = self.env._(
            "access-review-%(date)s.csv",
            date=fields.Date.to_string(fields.Date.context_today(self)),
        )
        return csv_download(self, name, self._csv_rows())


class DataprotectAccessReviewLine(models.TransientModel):
    _name = "dataprotect.access.review.line"
    _description = "Access Review of Buyers' Personal Data: User"
    _order = "last_access desc nulls last, id"

    review_id = fields.Many2one(
        "dataprotect.access.review", required=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", readonly=True)
    group_ids = fields.Many2many(
        "res.groups", string="Groups Giving Access", readonly=True
    )
    models = fields.Char(string="May Read", readonly=True)
    last_access = fields.Datetime(
        readonly=True,
        help="The last time the user read an active buyer's data, as the "
        "access log says (within its retention).",
    )
    access_count = fields.Integer(string="Accesses", readonly=True)
    record_count = fields.Integer(string="Records Read", readonly=True)

    def action_open_log(self):
        """The user's entries of the access log."""
        self.ensure_one()
        self.env["dataprotect.marketplace"]._check_manager()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "dataprotect.dataprotect_access_log_action"
        )
        action["domain"] = [("user_id", "=", self.user_id.id)]
        return action
