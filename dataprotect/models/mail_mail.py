# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..personal_data import SCRUB, Field


class MailMail(models.Model):
    _inherit = "mail.mail"

    _dataprotect_fields = {
        "body_html": Field(SCRUB, html=True),
        **dict.fromkeys(("email_to", "email_cc", "reply_to", "headers"), Field(SCRUB)),
        # a bounce's reason quotes the address
        "failure_reason": Field(SCRUB),
    }
