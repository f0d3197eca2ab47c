# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.dataprotect_deletion import numbers_by_state


class DataprotectDeletionWizard(models.TransientModel):
    """A marketplace's deletion request: the order numbers pasted or
    uploaded, checked (which orders match, which numbers do not, what the
    erasure of their buyers touches), then queued."""

    _name = "dataprotect.deletion.wizard"
    _inherit = "dataprotect.plan.wizard"
    _description = "Marketplace Deletion Request"

    marketplace_id = fields.Many2one(
        "dataprotect.marketplace",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.ref(
            "dataprotect.marketplace_amazon", raise_if_not_found=False
        ),
    )
    numbers = fields.Text(
        string="Order Numbers",
        help="As the marketplace sends them: one per line, or the lines of its "
        "CSV file.",
    )
    upload = fields.Binary(
        string="CSV File",
        attachment=False,
        help="The marketplace's file of order numbers (CSV or text): its "
        "order-id column, or else its first column.",
    )
    upload_name = fields.Char()
    checked = fields.Boolean(readonly=True)
    number_count = fields.Integer(string="Order Numbers ", readonly=True)
    duplicate_count = fields.Integer(string="Duplicates Skipped", readonly=True)
    erase_count = fields.Integer(string="To Erase", readonly=True)
    anonymized_count = fields.Integer(string="Already Anonymized", readonly=True)
    refused_count = fields.Integer(string="Refused: User Account", readonly=True)
    other_count = fields.Integer(string="Not This Marketplace's", readonly=True)
    not_found_count = fields.Integer(string="Not Found", readonly=True)
    matched_order_ids = fields.Many2many(
        "sale.order",
        relation="dataprotect_deletion_wizard_matched_rel",
        string="Matching Orders",
        readonly=True,
    )
    refused_numbers = fields.Text(
        readonly=True,
        help="Their buyer has a user account, or is a company of this "
        "database: they are not erased. Remove the user account first.",
    )
    other_numbers = fields.Text(
        readonly=True,
        help="They match orders of another marketplace, or of none: those "
        "are never touched by this marketplace's request.",
    )
    not_found_numbers = fields.Text(readonly=True)

    @api.onchange("numbers", "upload", "marketplace_id")
    def _onchange_request(self):
        self.checked = False

    def _request_text(self):
        """The pasted text and the uploaded file's."""
        text = self.numbers or ""
        if self.upload:
            text += "\n" + self._upload_text()
        return text

    def _upload_text(self):
        """The uploaded file's text: UTF-8 (with or without a byte order
        mark), else Windows-1252, as spreadsheets save it."""
        try:
            raw = base64.b64decode(self.upload, validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The uploaded file cannot be read.")) from error
        if b"\0" in raw[:4096]:
            # not named: a file name like "Anfrage Erika Mustermann" would carry
            # a person's name into the exception's text
            raise UserError(self.env._("The uploaded file is not a text or CSV file."))
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")

    def _plan(self):
        """Erasing the buyers of the matching orders: the single-person
        erasure of each, with its contacts and all its documents."""
        return self.env["dataprotect.planner"].plan_people(
            self.matched_order_ids._dataprotect_partners()
        )

    def action_check(self):
        """Match the numbers and show what the erasure touches (counted by
        doing it and rolling it back)."""
        self.ensure_one()
        self.env["dataprotect.marketplace"]._check_manager()
        numbers, duplicates, matches = self.env["dataprotect.deletion"].parse_and_match(
            self.marketplace_id, self._request_text()
        )
        by_state = numbers_by_state((n, matches[n][0]) for n in numbers)
        self.write(
            {
                "checked": True,
                "number_count": len(numbers),
                "duplicate_count": duplicates,
                **{f"{state}_count": len(found) for state, found in by_state.items()},
                "matched_order_ids": [
                    id_ for number in by_state["erase"] for id_ in matches[number][1]
                ],
                "refused_numbers": "\n".join(by_state["refused"]),
                "other_numbers": "\n".join(by_state["other"]),
                "not_found_numbers": "\n".join(by_state["not_found"]),
            }
        )
        self._show_plan(self._plan())
        return self._action_open()

    def action_confirm(self):
        """Queue the request; the requests cron erases the buyers in the
        background. The numbers are matched again: orders may have changed."""
        self.ensure_one()
        run = self.env["dataprotect.deletion"].start(
            self.marketplace_id, self._request_text()
        )
        return run._action_open()
