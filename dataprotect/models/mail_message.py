# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from .. import personal_data
from ..personal_data import SCRUB, Field
from ..plan import DOCUMENT_MODELS

_lt = LazyTranslate(__name__)
AUDIT_TRAIL = _lt("kept where the accounting audit trail forbids changing it")


class MailMessage(models.Model):
    _inherit = "mail.message"

    _dataprotect_fields = {
        **dict.fromkeys(("body", "subject"), Field(SCRUB, reason=AUDIT_TRAIL)),
        **dict.fromkeys(("record_name", "email_from", "reply_to"), Field(SCRUB)),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        """Messages on the plan's documents and partners, by or to the
        partners."""
        # one query per condition, so that each uses its index (with OR, the
        # whole table is scanned, once per batch)
        partner_ids = plan.partners.ids
        records = {**plan.documents(), **self._dataprotect_threads(plan)}
        queries = [
            SQL(
                "SELECT id FROM mail_message WHERE model = %s AND res_id = ANY(%s)",
                model,
                ids,
            )
            for model, ids in records.items()
            if ids
        ]
        queries += [
            SQL("SELECT id FROM mail_message WHERE author_id = ANY(%s)", partner_ids),
            SQL(
                "SELECT mail_message_id FROM mail_message_res_partner_rel "
                "WHERE res_partner_id = ANY(%s)",
                partner_ids,
            ),
        ]
        self.env.cr.execute(SQL(" UNION ").join(queries))
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _dataprotect_threads(self, plan):
        """{model: ids} of the plan's records of other apps that have a
        chatter (an opportunity): their messages copy their names."""
        return {
            model: plan.records(model).ids
            for model in personal_data.models(self.env)
            if model not in DOCUMENT_MODELS and "message_ids" in self.env[model]._fields
        }

    def _dataprotect_exempt_records(self):
        """The messages the accounting audit trail forbids to alter (as
        ``mail.message._except_audit_log`` in ``account`` decides)."""
        if (
            not self
            or "check_account_audit_trail" not in self.env["res.company"]._fields
        ):
            return self.browse()
        self.env.cr.execute(
            SQL(
                """
            SELECT m.id FROM mail_message m
            JOIN account_move am ON m.model = 'account.move' AND am.id = m.res_id
            JOIN res_company c ON c.id = am.company_id
            WHERE m.id = ANY(%(ids)s) AND c.check_account_audit_trail
              AND am.posted_before
            UNION
            SELECT m.id FROM mail_message m
            JOIN res_partner p ON m.model = 'res.partner' AND p.id = m.res_id
            LEFT JOIN res_company pc ON pc.id = p.company_id
            WHERE m.id = ANY(%(ids)s)
              AND (p.company_id IS NULL OR pc.check_account_audit_trail)
              AND (p.customer_rank > 0 OR p.supplier_rank > 0)
              AND EXISTS (SELECT 1 FROM account_move am
                          JOIN res_company c ON c.id = am.company_id
                          WHERE am.partner_id = p.id AND c.check_account_audit_trail)
            """,
                ids=self.ids,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())
