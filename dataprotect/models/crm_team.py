# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmTeam(models.Model):
    _inherit = "crm.team"

    dataprotect_marketplace_ids = fields.Many2many(
        comodel_name="dataprotect.marketplace",
        relation="dataprotect_marketplace_crm_team_rel",
        column1="team_id",
        column2="marketplace_id",
        string="Marketplaces",
        readonly=True,
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_marketplace_team(self):
        """Deleting a marketplace's team would silently untag its orders, which
        would then never be anonymized."""
        for team in self:
            marketplaces = team.with_context(active_test=False).sudo()
            marketplaces = marketplaces.dataprotect_marketplace_ids
            if marketplaces:
                raise UserError(
                    self.env._(
                        "The sales team %(team)s belongs to marketplace "
                        "%(marketplace)s: remove it from the marketplace first "
                        "(its orders are then no longer anonymized) or archive it.",
                        team=team.name,
                        marketplace=", ".join(marketplaces.mapped("name")),
                    )
                )
