# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_values(self, src_partners, dst_partner):
        """Merging copies the merged partners' values into the destination's
        empty fields, and its chatter keeps them (the merge message, their
        moved messages and tracking values): remember them on the destination
        so that anonymizing it replaces those copies too. Odoo also copies the
        anonymization marker like any value: the destination is anonymized only
        if every merged partner was."""
        live = (src_partners | dst_partner).filtered(
            lambda p: not p.dataprotect_anonymized_at
        )
        merged = list(dst_partner.sudo().dataprotect_merged_values or [])
        merged += (
            self.env["dataprotect.anonymizer"]
            .sudo()
            .known_values(src_partners.sudo() & live)
        )
        res = super()._update_values(src_partners, dst_partner)
        vals = {}
        if merged:
            vals["dataprotect_merged_values"] = list(dict.fromkeys(merged))
        if live and dst_partner.dataprotect_anonymized_at:
            vals["dataprotect_anonymized_at"] = False
        if vals:
            dst_partner.sudo().with_context(tracking_disable=True).write(vals)
        return res
