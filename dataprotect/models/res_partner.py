# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

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

    def _dataprotect_with_descendants(self):
        """These partners and all their child contacts, archived ones included."""
        if not self:
            return self
        self.flush_model(["parent_id"])
        self.env.cr.execute(
            SQL(
                """
            WITH RECURSIVE family(id) AS (
                SELECT unnest(%s::int[])
                UNION SELECT p.id FROM res_partner p JOIN family f ON p.parent_id = f.id
            ) SELECT id FROM family ORDER BY id
            """,
                self.ids,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _dataprotect_marketplace_ancestors(self):
        """The ancestors of these partners that a marketplace document pointed
        at (they carry its tag) and that are not anonymized yet."""
        if not self:
            return self
        self.flush_model(
            ["parent_id", "dataprotect_marketplace_id", "dataprotect_anonymized_at"]
        )
        self.env.cr.execute(
            SQL(
                """
            WITH RECURSIVE up(id) AS (
                SELECT parent_id FROM res_partner
                 WHERE id = ANY(%s) AND parent_id IS NOT NULL
                UNION SELECT p.parent_id FROM res_partner p JOIN up ON p.id = up.id
                       WHERE p.parent_id IS NOT NULL
            ) SELECT p.id FROM res_partner p JOIN up ON up.id = p.id
               WHERE p.dataprotect_marketplace_id IS NOT NULL
                 AND p.dataprotect_anonymized_at IS NULL
               ORDER BY p.id
            """,
                self.ids,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def action_dataprotect_open_erasure(self):
        """Open the confirmation of a single-person erasure."""
        self.env["dataprotect.marketplace"]._check_manager()
        self.ensure_one()
        wizard = self.env["dataprotect.erasure.wizard"].create({"partner_id": self.id})
        return wizard._action_open()
