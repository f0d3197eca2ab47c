# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..personal_data import SCRUB, Field
from ..tools import in_ids

_lt = LazyTranslate(__name__)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    _dataprotect_fields = {
        "name": Field(
            SCRUB,
            reason=_lt(
                "kept on invoices with an inalterability hash: "
                "the line's text is part of the hash"
            ),
        ),
        # a stored copy of the invoice's reference (not part of the hash)
        "ref": Field(SCRUB),
    }

    @api.model
    def _dataprotect_personal_records(self, plan):
        return self.search([("move_id", "in", in_ids(plan.invoices.ids))], order="id")

    def _dataprotect_exempt_records(self):
        return self.search(
            [("id", "in", in_ids(self.ids)), ("move_id.inalterable_hash", "!=", False)]
        )
