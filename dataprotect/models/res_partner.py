# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import lookup_each

PERSONAL_FIELDS = {"name", "street", "street2", "email", "phone", "mobile", "vat"}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "dataprotect.mixin"]

    dataprotect_merged_values = fields.Json(
        string="Values of Merged Partners",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The personal values of the partners merged into this one: the "
        "merge leaves copies of them (its chatter message, the merged partners' "
        "messages and tracking values), which anonymizing this partner replaces "
        "too. Cleared when this partner is anonymized.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("parent_id") and "dataprotect_marketplace_id" not in vals:
                parent = self.browse(vals["parent_id"])
                if (
                    parent.dataprotect_marketplace_id
                    and not parent.dataprotect_anonymized_at
                ):
                    vals["dataprotect_marketplace_id"] = (
                        parent.dataprotect_marketplace_id.id
                    )
        return super().create(vals_list)

    def write(self, vals):
        # personal data entered again on an anonymized partner is active again
        if (
            vals.keys() & PERSONAL_FIELDS
            and "dataprotect_anonymized_at" not in vals
            and not self.env.context.get("dataprotect_anonymizing")
        ):
            marked = self.filtered("dataprotect_anonymized_at")
            if marked:
                super(ResPartner, marked).write({"dataprotect_anonymized_at": False})
        return super().write(vals)

    def _dataprotect_walk(self, column, select, condition=None):
        """The ids reached from these partners level by level: at each level
        the ``res_partner`` rows ``t`` whose ``column`` is one of the level's
        ids and where ``condition`` holds give ``select``, each looked up by
        index (``lookup_each``)."""
        reached = set()
        level = set(self.ids)
        while level:
            self.env.cr.execute(
                lookup_each(level, "res_partner", column, select, condition)
            )
            level = {row[0] for row in self.env.cr.fetchall()} - reached
            reached |= level
        return reached

    def _dataprotect_with_descendants(self):
        """These partners and all their child contacts, archived ones included."""
        self.flush_model(["parent_id"])
        children = self._dataprotect_walk("parent_id", SQL("t.id"))
        return self.browse(sorted(children.union(self.ids)))

    def _dataprotect_marketplace_ancestors(self):
        """The ancestors of these partners that a marketplace document pointed
        at (they carry its tag) and that are not anonymized yet."""
        self.flush_model(
            ["parent_id", "dataprotect_marketplace_id", "dataprotect_anonymized_at"]
        )
        ancestors = self._dataprotect_walk(
            "id", SQL("t.parent_id"), SQL("t.parent_id IS NOT NULL")
        )
        if not ancestors:
            return self.browse()
        self.env.cr.execute(
            lookup_each(
                ancestors,
                "res_partner",
                "id",
                SQL("t.id"),
                SQL(
                    "t.dataprotect_marketplace_id IS NOT NULL "
                    "AND t.dataprotect_anonymized_at IS NULL"
                ),
            )
        )
        return self.browse(sorted(row[0] for row in self.env.cr.fetchall()))

    def action_dataprotect_open_erasure(self):
        """Open the confirmation of a single-person erasure."""
        self.env["dataprotect.marketplace"]._check_manager()
        self.ensure_one()
        wizard = self.env["dataprotect.erasure.wizard"].create({"partner_id": self.id})
        return wizard._action_open()
