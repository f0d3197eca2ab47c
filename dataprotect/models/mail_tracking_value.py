# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL

from ..personal_data import SCRUB, Field, personal_fields
from ..tools import id_array, in_ids

TEXTS = ("old_value_char", "new_value_char", "old_value_text", "new_value_text")


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    _dataprotect_fields = dict.fromkeys(TEXTS, Field(SCRUB))

    def _dataprotect_wholly_personal(self, plan):
        """The tracked changes of the partners themselves (name, e-mail,
        phone, address) hold earlier values too, which no harvest knows."""
        return self.search(
            [
                ("id", "in", in_ids(self.ids)),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "in", in_ids(plan.partners.ids)),
            ]
        )

    def _dataprotect_earlier_values(self, plan):
        """The values the partners had before a tracked change of a field
        the registry declares known (an e-mail address corrected, a name, a
        phone number), and the street of an earlier address (the first part
        of ``contact_address_inline``): mails from the earlier address and
        texts that quote it are the same person's."""
        if not self or not plan.partners:
            return []
        partners = self.env["res.partner"]
        names = [n for n, f in personal_fields(partners).items() if f.known]
        self.env.cr.execute(
            SQL(
                """
            SELECT f.name, v.old_value_char, v.new_value_char
            FROM mail_tracking_value v
            JOIN mail_message m ON m.id = v.mail_message_id
            JOIN ir_model_fields f ON f.id = v.field_id
            WHERE v.id = ANY(%s) AND m.model = 'res.partner'
              AND m.res_id = ANY(%s) AND f.name = ANY(%s)
            """,
                id_array(self.ids),
                id_array(plan.partners.ids),
                [*names, "contact_address_inline"],
            )
        )
        values = []
        for name, *texts in self.env.cr.fetchall():
            for text in filter(None, texts):
                if name == "contact_address_inline":
                    text = text.split(",")[0]
                values.append(text)
        return values
