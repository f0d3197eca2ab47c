# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A marketplace's deletion request: the order numbers it sends, matched to
the seller's orders, and the buyers of the matching orders erased (the
single-person erasure) by the requests cron, in an audit run that lists
every number and what became of it."""

import csv

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .sale_order import ORDER_NUMBER_FIELDS

# What becomes of a number of a request
NUMBER_STATES = [
    ("erase", "To Erase"),
    ("erased", "Erased"),
    ("anonymized", "Already Anonymized"),
    ("refused", "Refused: User Account"),
    ("other", "Not This Marketplace's"),
    ("not_found", "Not Found"),
]
# What a check of a request finds for a number (``erased`` comes later)
MATCH_STATES = ("erase", "anonymized", "refused", "other", "not_found")
# The header of the order-number column in a marketplace's CSV file
NUMBER_HEADERS = {
    "order-id",
    "order_id",
    "order id",
    "orderid",
    "amazon-order-id",
    "amazon order id",
    "order number",
    "order-number",
    "ordernumber",
    "bestellnummer",
    "bestell-nr.",
}


def parse_numbers(text):
    """The order numbers of a request as the marketplace sends it: one per
    line, or a CSV (comma, semicolon or tab) whose order-number column is
    found by its header, else the first column. Blank lines are skipped;
    return ``(distinct numbers in their order, duplicates skipped)``."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return [], 0
    delimiter = next((d for d in ("\t", ";", ",") if d in lines[0]), None)
    if delimiter:
        rows = list(csv.reader(lines, delimiter=delimiter))
    else:
        rows = [[line] for line in lines]
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((i for i, cell in enumerate(header) if cell in NUMBER_HEADERS), None)
    if column is None:
        column = 0
    else:
        rows = rows[1:]
    numbers = [row[column].strip() for row in rows if len(row) > column]
    numbers = [number for number in numbers if number]
    distinct = list(dict.fromkeys(numbers))
    return distinct, len(numbers) - len(distinct)


def numbers_by_state(pairs):
    """``{state: [number]}`` of ``(number, state)`` pairs, every state of
    ``MATCH_STATES`` present (an erased number counts as one to erase)."""
    result = {state: [] for state in MATCH_STATES}
    for number, state in pairs:
        result["erase" if state == "erased" else state].append(number)
    return result


class DataprotectDeletion(models.AbstractModel):
    """The addon's API for deletion requests (each method checks that the
    caller is a Data Protection manager):

    - ``match(marketplace, numbers)``: what becomes of each number;
    - ``start(marketplace, numbers)``: queue the request, return its run.
    """

    _name = "dataprotect.deletion"
    _description = "Marketplace Deletion Request"

    @api.model
    def parse_and_match(self, marketplace, text):
        """``(numbers, duplicates, matches)`` of a request's text (one number
        per line, or a CSV): its distinct numbers, how many repeated ones were
        dropped, and ``match``'s result; a request without a number is
        refused."""
        numbers, duplicates = parse_numbers(text)
        if not numbers:
            raise UserError(self.env._("The request holds no order number."))
        return numbers, duplicates, self.match(marketplace, numbers)

    @api.model
    def match(self, marketplace, numbers):
        """``{number: (state, order ids)}`` for the distinct ``numbers``: the
        orders whose customer reference, source document or the marketplace's
        order number field is the number (trimmed). A number is erased
        through the marketplace's orders whose buyers' data is active; it is
        refused when one of their buyers has a user account or is a company
        of this database; orders of another marketplace, or of none, are
        never touched."""
        self.env["dataprotect.marketplace"]._check_manager()
        marketplace.ensure_one()
        found = {number: set() for number in numbers}
        if not numbers:
            return {}
        self.env.flush_all()
        columns = list(ORDER_NUMBER_FIELDS)
        field = marketplace.sudo().order_number_field_id
        if field:
            columns.append(field.name)
        self.env.cr.execute(
            SQL(" UNION ").join(
                SQL(
                    "SELECT n.number, so.id FROM unnest(%s::text[]) n(number) "
                    "JOIN sale_order so ON btrim(so.%s) = n.number",
                    numbers,
                    SQL.identifier(column),
                )
                for column in dict.fromkeys(columns)
            )
        )
        for number, order_id in self.env.cr.fetchall():
            found[number].add(order_id)
        orders = (
            self.env["sale.order"]
            .sudo()
            .browse({id_ for ids in found.values() for id_ in ids})
        )
        own = orders.filtered(lambda o: o.dataprotect_marketplace_id == marketplace)
        active = own.filtered(lambda o: not o.dataprotect_anonymized_at)
        refused = set(self._orders_of_account_holders(active).ids)
        own, active = set(own.ids), set(active.ids)
        result = {}
        # sets of ids, not recordsets: 10,000 numbers of 10,000 orders
        for number, ids in found.items():
            if not ids:
                result[number] = ("not_found", [])
            elif not ids & own:
                result[number] = ("other", sorted(ids))
            elif ids & refused:
                result[number] = ("refused", sorted(ids & own))
            elif ids & active:
                result[number] = ("erase", sorted(ids & active))
            else:
                result[number] = ("anonymized", sorted(ids & own))
        return result

    @api.model
    def _orders_of_account_holders(self, orders):
        """Of the orders, those a buyer of which (or one of their contacts)
        has a user account or is a company of this database."""
        partners = orders._dataprotect_partners()
        holders = self.env["dataprotect.planner"]._account_holders(partners.ids)
        if not holders:
            return orders.browse()
        return orders.filtered(lambda o: holders & set(o._dataprotect_partners().ids))

    @api.model
    def start(self, marketplace, numbers):
        """Queue the request of ``marketplace`` for ``numbers`` (a list, or
        the text as sent: one per line or a CSV); return its run, which lists
        every distinct number with what becomes of it. The requests cron
        erases the buyers of the numbers to erase."""
        self.env["dataprotect.marketplace"]._check_manager()
        if not marketplace.active:
            raise UserError(
                self.env._(
                    "The marketplace %(name)s is archived.", name=marketplace.name
                )
            )
        if not isinstance(numbers, str):
            numbers = "\n".join(map(str, numbers))
        numbers, duplicates, matches = self.parse_and_match(marketplace, numbers)
        erase = [n for n in numbers if matches[n][0] == "erase"]
        run = (
            self.env["dataprotect.run"]
            .sudo()
            ._start(
                "deletion",
                marketplace,
                duplicate_count=duplicates,
                remaining_count=len(erase),
                number_ids=[
                    Command.create(
                        {
                            "number": number,
                            "state": matches[number][0],
                            "order_ids": [Command.set(matches[number][1])],
                        }
                    )
                    for number in numbers
                ],
            )
        )
        if not erase:
            run._log_finished()
        return run

    @api.model
    def _work(self, run, now):
        """Erase the buyers of the next batch of the run's numbers; return how
        many numbers remain to be erased."""
        batch_size = self.env["dataprotect.job"]._batch_size()
        lines = run.number_ids.filtered(lambda line: line.state == "erase")
        batch = lines[:batch_size]
        orders = batch.order_ids.filtered(lambda o: not o.dataprotect_anonymized_at)
        # a user account created since the request was made
        refused = self._orders_of_account_holders(orders)
        refused_lines = batch.filtered(lambda line: line.order_ids & refused)
        refused_lines.state = "refused"
        partners = (orders - refused)._dataprotect_partners()
        if partners:
            plan = self.env["dataprotect.planner"].plan_people(partners)
            stats = self.env["dataprotect.anonymizer"].anonymize(
                plan, run.marketplace_id._placeholder_text(), now
            )
            run._add_stats(stats)
        (batch - refused_lines).state = "erased"
        remaining = len(lines) - len(batch)
        run.remaining_count = remaining
        return remaining


class DataprotectRunNumber(models.Model):
    """One order number of a deletion request and what became of it (no
    personal data: the marketplace's number and the orders it matched)."""

    _name = "dataprotect.run.number"
    _description = "Data Protection Deletion Request Number"
    _order = "run_id, id"

    run_id = fields.Many2one(
        "dataprotect.run", required=True, ondelete="cascade", index=True
    )
    number = fields.Char(string="Order Number", required=True, readonly=True)
    state = fields.Selection(NUMBER_STATES, string="Result", readonly=True)
    order_ids = fields.Many2many("sale.order", string="Orders", readonly=True)
