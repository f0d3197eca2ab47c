# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..personal_data import SCRUB, Field


class MailNotification(models.Model):
    _inherit = "mail.notification"

    _dataprotect_fields = {
        "sms_number": Field(SCRUB),
        "failure_reason": Field(SCRUB),
    }
