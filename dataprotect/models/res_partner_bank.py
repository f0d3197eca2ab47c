# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL

from ..personal_data import CLEAR, COMPUTED, PLACEHOLDER, Field
from ..tools import id_array, in_ids


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    _dataprotect_fields = {
        # unique per partner: the placeholder and the account's id
        "acc_number": Field(PLACEHOLDER, known=True),
        "sanitized_acc_number": Field(COMPUTED, known=True),
        "acc_holder_name": Field(CLEAR, known=True),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        return self.search(
            [("partner_id", "in", in_ids(plan.partners.ids))], order="id"
        )

    def _dataprotect_anonymize(self, scrubber, plan, stats):
        """In SQL, and archived: ``res.partner.bank`` logs its changes on the
        partner even with tracking disabled, which would copy the old account
        number."""
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
            UPDATE res_partner_bank
               SET acc_number = %(placeholder)s || ' ' || id,
                   sanitized_acc_number = upper(
                       regexp_replace(%(placeholder)s || id, '\\W+', '', 'g')),
                   acc_holder_name = NULL, allow_out_payment = FALSE, active = FALSE
             WHERE id = ANY(%(ids)s)
            """,
                placeholder=scrubber.placeholder,
                ids=id_array(self.ids),
            )
        )
        self.invalidate_recordset()
        stats.add(self._name, "anonymized", len(self))
