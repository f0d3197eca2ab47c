# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

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
    # the partners kept are listed by the wizards that keep some (a second
    # many2many to res.partner needs a relation table named per model)
    order_count = fields.Integer(string="Orders ", readonly=True)
    picking_count = fields.Integer(string="Deliveries ", readonly=True)
    invoice_count = fields.Integer(string="Invoices ", readonly=True)
    partner_count = fields.Integer(string="Partners ", readonly=True)
    skipped_count = fields.Integer(string="Partners Kept ", readonly=True)
    message_count = fields.Integer(string="Messages", readonly=True)
    field_summary = fields.Text(
        string="Fields Emptied or Replaced",
        readonly=True,
        help="Per kind of record and field: how many records hold a value that "
        "anonymizing empties or replaces with the placeholder.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["dataprotect.marketplace"]._check_manager()
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.write(wizard._plan_values(wizard._plan()))
        return wizards

    def _plan(self):
        """The plan the wizard shows (``plan.Plan``)."""
        raise NotImplementedError

    def _plan_values(self, plan):
        messages = plan.records("mail.message")
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
            "message_count": len(messages),
            "field_summary": self._field_summary(plan),
        }
        if "skipped_partner_ids" in self._fields:
            values["skipped_partner_ids"] = plan.skipped.ids
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

    def _action_open(self):
        """Show the wizard in a dialog."""
        # the model's name in the user's language (_description is English)
        return form_action(
            self, "new", name=self.env["ir.model"].sudo()._get(self._name).name
        )

    def _plan_stats(self):
        """The plan's counts, for the audit log of a preview."""
        self.ensure_one()
        return {
            ("sale.order", "anonymized"): self.order_count,
            ("stock.picking", "anonymized"): self.picking_count,
            ("account.move", "anonymized"): self.invoice_count,
            ("res.partner", "anonymized"): self.partner_count,
            ("res.partner", "skipped"): self.skipped_count,
            ("mail.message", "anonymized"): self.message_count,
        }

    def _open_list(self, records, name):
        self.env["dataprotect.marketplace"]._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": records._name,
            "domain": [("id", "in", records.ids)],
            "view_mode": "list,form",
            "context": {"active_test": False},
        }

    def action_open_orders(self):
        return self._open_list(self.order_ids, self.env._("Orders"))

    def action_open_pickings(self):
        return self._open_list(self.picking_ids, self.env._("Deliveries"))

    def action_open_invoices(self):
        return self._open_list(self.invoice_ids, self.env._("Invoices"))

    def action_open_partners(self):
        return self._open_list(self.partner_ids, self.env._("Partners"))

    def action_open_skipped_partners(self):
        self.ensure_one()
        return self._open_list(self.skipped_partner_ids, self.env._("Partners Kept"))
