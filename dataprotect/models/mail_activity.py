# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..personal_data import SCRUB, Field


class MailActivity(models.Model):
    _inherit = "mail.activity"

    _dataprotect_fields = {
        **dict.fromkeys(("res_name", "summary", "note"), Field(SCRUB)),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        return self.search(plan.on_documents())
