# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL, email_normalize
from odoo.tools.translate import LazyTranslate

from .. import personal_data
from ..personal_data import SCRUB, Field
from ..plan import DOCUMENT_MODELS
from ..tools import id_array, lookup_each

_lt = LazyTranslate(__name__)
# internal chat is searched for the people's values up to this many days after
# their last order
CHAT_DAYS = 90
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
        # whole table is scanned, once per batch); a record's messages looked
        # up record by record (else all of a model's are read)
        partner_ids = plan.partners.ids
        records = {**plan.documents(), **self._dataprotect_threads(plan)}
        queries = [
            lookup_each(
                ids, "mail_message", "res_id", SQL("t.id"), SQL("t.model = %s", model)
            )
            for model, ids in records.items()
            if ids
        ]
        queries += [
            SQL(
                "SELECT id FROM mail_message WHERE author_id = ANY(%s)",
                id_array(partner_ids),
            ),
            self._dataprotect_chat_query(plan),
            SQL(
                "SELECT mail_message_id FROM mail_message_res_partner_rel "
                "WHERE res_partner_id = ANY(%s)",
                id_array(partner_ids),
            ),
        ]
        self.env.cr.execute(SQL(" UNION ").join(queries))
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _dataprotect_wholly_personal(self, plan):
        """The people's own messages, theirs entirely: the e-mails they sent
        (from their partner, or from their address with no partner) and the
        messages they wrote. Their texts are removed rather than searched
        (they hold values no harvest knows: a neighbour's name, another
        address), the body replaced by a note (``_dataprotect_anonymize``)."""
        if not self:
            return self
        # asked by the files, the messages and the base rule in turn
        return plan.memo_records(self, "own", lambda: self._dataprotect_own(plan))

    def _dataprotect_own(self, plan):
        self.env.cr.execute(
            SQL(
                """
            SELECT id, author_id, email_from FROM mail_message
            WHERE id = ANY(%s) AND message_type IN ('email', 'comment')
              AND (author_id = ANY(%s) OR author_id IS NULL)
            """,
                id_array(self.ids),
                id_array(plan.partners.ids),
            )
        )
        emails = set(plan.emails())
        return self.browse(
            id_
            for id_, author, email_from in self.env.cr.fetchall()
            if author or email_normalize(email_from or "") in emails
        )

    def _dataprotect_anonymize(self, scrubber, plan, stats):
        """As the registry says; the people's own messages (not those the
        law keeps) have their texts removed, their body replaced by a note
        that says so (their files go with the documents' and messages'
        files, ``ir.attachment``)."""
        # (before their sender is cleared)
        own = self._dataprotect_wholly_personal(plan) - self._dataprotect_plan_exempt(
            plan
        )
        result = super()._dataprotect_anonymize(scrubber, plan, stats)
        if own:
            # in the language of the user running the job (the seller reads it)
            env = self.with_context(lang=self.env.user.lang).env
            note = Markup("<p><i>%s</i></p>") % env._(
                "Message of the buyer removed (data protection): its text and "
                "attachments were deleted."
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_message SET body = %s WHERE id = ANY(%s)",
                    note,
                    id_array(own.ids),
                )
            )
            own.invalidate_recordset(["body"])
        return result

    @api.model
    def _dataprotect_chat_query(self, plan):
        """The internal chat messages (discuss channels) of the time the
        people were customers: from the first of them was created to
        ``CHAT_DAYS`` after their last order (without an order, to now).
        They may name the buyer without mentioning any record; the scrubber
        finds the people's values in them, and changes only those."""
        return SQL(
            """
            SELECT id FROM mail_message
            WHERE model = 'discuss.channel'
              AND create_date >= (SELECT min(f.date) FROM (%(partners)s) f(date))
              AND create_date <= COALESCE(
                  (SELECT max(f.date) FROM (%(orders)s) f(date))
                  + %(days)s * interval '1 day',
                  'infinity')
            """,
            partners=lookup_each(
                plan.partners.ids, "res_partner", "id", SQL("t.create_date")
            ),
            orders=lookup_each(
                plan.orders.ids, "sale_order", "id", SQL("t.create_date")
            ),
            days=CHAT_DAYS,
        )

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
            -- the messages read by their ids first: PostgreSQL would rather
            -- read all messages of a model where they are millions
            WITH msg AS MATERIALIZED (
                SELECT id, model, res_id FROM mail_message WHERE id = ANY(%(ids)s)
            )
            SELECT m.id FROM msg m
            JOIN account_move am ON m.model = 'account.move' AND am.id = m.res_id
            JOIN res_company c ON c.id = am.company_id
            WHERE c.check_account_audit_trail AND am.posted_before
            UNION
            SELECT m.id FROM msg m
            JOIN res_partner p ON m.model = 'res.partner' AND p.id = m.res_id
            LEFT JOIN res_company pc ON pc.id = p.company_id
            WHERE (p.company_id IS NULL OR pc.check_account_audit_trail)
              AND (p.customer_rank > 0 OR p.supplier_rank > 0)
              AND EXISTS (SELECT 1 FROM account_move am
                          JOIN res_company c ON c.id = am.company_id
                          WHERE am.partner_id = p.id AND c.check_account_audit_trail)
            """,
                ids=id_array(self.ids),
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())
