# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DataprotectErasureWizard(models.TransientModel):
    """Anonymize one person: the partner, its child contacts and every order,
    delivery and invoice that points at them, whatever their marketplace."""

    _name = "dataprotect.erasure.wizard"
    _inherit = "dataprotect.plan.wizard"
    _description = "Anonymize Personal Data of a Person"

    partner_id = fields.Many2one(
        "res.partner", string="Person", required=True, readonly=True
    )
    scope_note = fields.Text(compute="_compute_scope_note")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        active_id = self.env.context.get("active_id")
        if model == "sale.order" and active_id:
            values["partner_id"] = (
                self.env["sale.order"].browse(active_id).partner_id.id
            )
        elif model == "res.partner" and active_id:
            values["partner_id"] = active_id
        return values

    def _plan(self):
        return self.env["dataprotect.planner"].plan_people(self.partner_id)

    def _marketplace(self):
        return self.partner_id.dataprotect_marketplace_id

    @api.depends("partner_id")
    def _compute_scope_note(self):
        """How a person inside a company, or a company with people, is handled
        (computed, not stored: it names the person)."""
        for wizard in self:
            wizard.scope_note = wizard._scope_note()

    def _scope_note(self):
        partner = self.partner_id
        notes = []
        parent = partner.parent_id
        if parent:
            notes.append(
                self.env._(
                    "%(person)s belongs to %(company)s: only this person and its "
                    "own addresses are anonymized. %(company)s and its other "
                    "contacts are kept; documents that point at them keep that "
                    "data.",
                    person=partner.display_name,
                    company=parent.display_name,
                )
            )
        people = partner._dataprotect_with_descendants() - partner
        if len(people) == 1:
            notes.append(
                self.env._(
                    "1 contact or address below %(person)s is anonymized with it.",
                    person=partner.display_name,
                )
            )
        elif people:
            notes.append(
                self.env._(
                    "%(count)s contacts and addresses below %(person)s are "
                    "anonymized with it.",
                    count=len(people),
                    person=partner.display_name,
                )
            )
        return "\n".join(notes)

    def action_confirm(self):
        self.ensure_one()
        self.env["dataprotect.marketplace"]._check_manager()
        self.env["dataprotect.planner"].check_erasable(self.partner_ids)
        plan = self._plan()
        run = self.env["dataprotect.run"].sudo()._start("erasure", self._marketplace())
        stats = self.env["dataprotect.anonymizer"].anonymize(
            plan, self._placeholder(), fields.Datetime.now()
        )
        run._log_finished(stats)
        return run._action_open()
