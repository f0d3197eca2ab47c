# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "dataprotect.mixin"]

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

    def _dataprotect_with_descendants(self):
        """These partners and all their child contacts, archived ones included."""
        if not self:
            return self
        return self.browse(
            self.with_context(active_test=False)._search([("id", "child_of", self.ids)])
        )
