# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools.misc import formatLang

from ..models.dataprotect_tagger import REASONS
from ..tools import form_action


class DataprotectPlanWizard(models.AbstractModel):
    """What an anonymization would touch, shown before it happens: counts per
    kind and lists to open. Shared by the purge, preview and erasure wizards."""

    _name = "dataprotect.plan.wizard"
    _description = "Data Protection Plan"

    order_ids = fields.Many2many("sale.order", string="Orders", readonly=True)
    picking_ids = fields.Many2many("stock.picking", string="Deliveries", readonly=True)
    invoice_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    partner_ids = fields.Many2many("res.partner", string="Partners", readonly=True)
    open_order_ids = fields.Many2many(
        "sale.order",
        string="Open Orders",
        compute="_compute_open_orders",
        help="Orders still in progress: a quotation, a delivery still to be "
        "done or something still to invoice.",
    )
    total_count = fields.Integer(
        string="All Orders",
        readonly=True,
        help="All the orders concerned; where there are more than the wizard "
        "counts, the figures below are those of the first of them.",
    )
    sample_note = fields.Char(
        string="Counted Orders",
        readonly=True,
        help="Set when there are more orders than the wizard counts: which of "
        "them the figures below are about.",
    )
    open_order_count = fields.Integer(
        string="Open Orders ", compute="_compute_open_orders"
    )
    # the partners kept are listed by the wizards that keep some (a second
    # many2many to res.partner needs a relation table named per model)
    order_count = fields.Integer(string="Orders ", readonly=True)
    picking_count = fields.Integer(string="Deliveries ", readonly=True)
    invoice_count = fields.Integer(string="Invoices ", readonly=True)
    partner_count = fields.Integer(string="Partners ", readonly=True)
    skipped_count = fields.Integer(string="Partners Kept ", readonly=True)
    message_count = fields.Integer(
        string="Messages",
        readonly=True,
        help="Messages whose text the run changes (not every message found).",
    )
    reason_summary = fields.Char(
        string="Orders Recognised By",
        readonly=True,
        help="Why the orders are the marketplace's: their sales team, a "
        "buyer's e-mail domain or their order number.",
    )
    record_summary = fields.Text(
        string="Records Changed or Deleted",
        readonly=True,
        help="Per kind of record: how many the run changes or deletes, and "
        "how many it keeps as the law requires. Counted by anonymizing in a "
        "transaction that is then rolled back.",
    )
    field_summary = fields.Text(
        string="Fields Emptied or Replaced",
        readonly=True,
        help="Per kind of record and field: how many records hold a value that "
        "anonymizing empties or replaces with the placeholder.",
    )

    @api.depends("order_ids")
    def _compute_open_orders(self):
        for wizard in self:
            wizard.open_order_ids = wizard._open_orders_scope()._dataprotect_open()
            wizard.open_order_count = len(wizard.open_order_ids)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["dataprotect.marketplace"]._check_manager()
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._show_plan(wizard._plan())
        return wizards

    def _plan(self):
        """The plan the wizard shows (``plan.Plan``): of all the orders
        concerned, the first ``_sample_size()``, in the order the run takes
        them (a dry run costs what the run costs: 200 s and 1.8 GB for
        100,000 orders, longer than Odoo lets a request run)."""
        raise NotImplementedError

    def _sample_size(self):
        """How many orders the wizard counts at most (None: all)."""
        return None

    def _all_orders_domain(self):
        """All the orders concerned: the plan's, or more where the plan holds
        only the first of them."""
        return [("id", "in", self.order_ids.ids)]

    def _open_orders_scope(self):
        """The orders among which the open ones are searched: those counted
        (a wizard whose open orders matter beyond them searches all)."""
        return self.order_ids

    def _count_all_orders(self):
        return self.env["sale.order"].search_count(self._all_orders_domain())

    def _sample_text(self, total, counted):
        """The note saying that the figures are those of the first
        ``counted`` of the ``total`` orders (numbers as shown)."""
        raise NotImplementedError

    def _marketplace(self):
        """The marketplace whose placeholder the run writes."""
        return self.marketplace_id

    def _placeholder(self):
        return self._marketplace()._placeholder_text()

    def _show_plan(self, plan):
        """Count what anonymizing the plan changes, by doing it and rolling
        it back, and show it; return the ``Stats``."""
        summary = self._field_summary(plan)
        with self.env["dataprotect.anonymizer"].dry_run(
            plan, self._placeholder(), fields.Datetime.now()
        ) as stats:
            pass
        self.write(self._plan_values(plan, stats, summary))
        return stats

    def _plan_values(self, plan, stats, summary):
        values = {
            "order_ids": plan.orders.ids,
            "picking_ids": plan.pickings.ids,
            "invoice_ids": plan.invoices.ids,
            "partner_ids": plan.partners.ids,
            "order_count": len(plan.orders),
            "picking_count": len(plan.pickings),
            "invoice_count": len(plan.invoices),
            "partner_count": len(plan.partners),
            "skipped_count": len(plan.skipped),
            "message_count": stats[("mail.message", "anonymized")],
            "total_count": len(plan.orders),
            "sample_note": False,
            "field_summary": summary,
            "record_summary": self._record_summary(stats),
            "reason_summary": self.env["dataprotect.run"]._reason_summary(
                {reason: stats[("sale.order", f"by_{reason}")] for reason in REASONS}
            ),
        }
        if "skipped_partner_ids" in self._fields:
            values["skipped_partner_ids"] = plan.skipped.ids
        if len(plan.orders) == self._sample_size():
            # counted in full (through an index), and said when more
            total = self._count_all_orders()
            values["total_count"] = total
            values["sample_note"] = total > len(plan.orders) and self._sample_text(
                formatLang(self.env, total, digits=0),
                formatLang(self.env, len(plan.orders), digits=0),
            )
        return values

    def _field_summary(self, plan):
        lines = []
        for model, fname, count in self.env["dataprotect.anonymizer"].count_fields(
            plan
        ):
            field = self.env[model]._fields[fname]
            lines.append(
                self.env._(
                    "%(model)s › %(field)s (%(name)s): %(count)s",
                    model=self.env["ir.model"]._get(model).name,
                    field=field._description_string(self.env),
                    name=fname,
                    count=count,
                )
            )
        return "\n".join(lines)

    def _record_summary(self, stats):
        lines = []
        for model in sorted({model for model, _outcome in stats}):
            changed = stats[(model, "anonymized")]
            kept = stats[(model, "exempted")]
            if not changed and not kept:
                continue
            name = self.env["ir.model"]._get(model).name
            if kept:
                lines.append(
                    self.env._(
                        "%(model)s: %(count)s, %(kept)s kept as the law requires",
                        model=name,
                        count=changed,
                        kept=kept,
                    )
                )
            else:
                lines.append(
                    self.env._("%(model)s: %(count)s", model=name, count=changed)
                )
        return "\n".join(lines)

    def _action_open(self):
        """Show the wizard in a dialog."""
        # the model's name in the user's language (_description is English)
        return form_action(
            self, "new", name=self.env["ir.model"].sudo()._get(self._name).name
        )

    def _open_list(self, records, name, domain=None):
        """The list of the records (or of the model's records in ``domain``)."""
        self.env["dataprotect.marketplace"]._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": records._name,
            "domain": domain or [("id", "in", records.ids)],
            "view_mode": "list,form",
            "context": {"active_test": False},
        }

    def action_open_orders(self):
        return self._open_list(self.order_ids, self.env._("Orders"))

    def action_open_all_orders(self):
        self.ensure_one()
        return self._open_list(
            self.order_ids, self.env._("All Orders"), self._all_orders_domain()
        )

    def action_open_open_orders(self):
        return self._open_list(self.open_order_ids, self.env._("Open Orders"))

    def action_open_pickings(self):
        return self._open_list(self.picking_ids, self.env._("Deliveries"))

    def action_open_invoices(self):
        return self._open_list(self.invoice_ids, self.env._("Invoices"))

    def action_open_partners(self):
        return self._open_list(self.partner_ids, self.env._("Partners"))

    def action_open_skipped_partners(self):
        self.ensure_one()
        return self._open_list(self.skipped_partner_ids, self.env._("Partners Kept"))
