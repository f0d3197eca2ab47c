# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.osv import expression

from ..personal_data import SCRUB, Field


class MailScheduledMessage(models.Model):
    """A message scheduled on a document (the composer's "Schedule"): it is
    posted into the document's chatter when its time comes."""

    _inherit = "mail.scheduled.message"

    _dataprotect_fields = {
        **dict.fromkeys(("subject", "body", "notification_parameters"), Field(SCRUB)),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        return self.search(
            expression.OR(
                [
                    [("model", "=", model), ("res_id", "in", ids)]
                    for model, ids in plan.documents().items()
                ]
            )
        )
