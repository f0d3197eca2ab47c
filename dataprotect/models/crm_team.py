# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
