# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..personal_data import SCRUB, Field

TEXTS = ("old_value_char", "new_value_char", "old_value_text", "new_value_text")


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    _dataprotect_fields = dict.fromkeys(TEXTS, Field(SCRUB))

    def _dataprotect_wholly_personal(self, plan):
        """The tracked changes of the partners themselves (name, e-mail,
        phone, address) hold earlier values too, which no harvest knows."""
        return self.search(
            [
                ("id", "in", self.ids),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "in", plan.partners.ids),
            ]
        )
