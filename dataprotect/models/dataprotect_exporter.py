# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Export of a marketplace's active personal data ("Herausgabe"): one ZIP with
a JSON and a CSV file per kind of document -- orders, deliveries, invoices,
addresses -- and a manifest with a checksum per file."""

import csv
import hashlib
import io
import json
import zipfile

from odoo import api, models
from odoo.tools import SQL, html2plaintext

from ..personal_data import COMPUTED, known_values_by_record, personal_fields

KINDS = ("orders", "deliveries", "invoices", "addresses")


def _text(html):
    return html2plaintext(html) if html else ""


def _date(value):
    return value.isoformat() if value else None


def _csv_value(value):
    if isinstance(value, list):
        return " | ".join(_csv_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_csv_value(val)}" for key, val in value.items())
    return "" if value is None or value is False else str(value)


class DataprotectExporter(models.AbstractModel):
    """The addon's API for exporting: ``export(run, now)`` (checks that the
    caller is a Data Protection manager, or the superuser). Each kind of
    document has its own columns (names, dates, amounts, the ids that link
    them) and the personal fields the registry declares for its model."""

    _name = "dataprotect.exporter"
    _description = "Marketplace Personal Data Export"

    @api.model
    def export(self, run, now):
        """Write the export file of ``run`` and remember exactly which orders it
        holds: those are the orders the purge then anonymizes."""
        self.env["dataprotect.marketplace"]._check_manager()
        marketplace = run.marketplace_id
        orders = self.env["sale.order"].search(
            marketplace._active_order_domain(), order="id"
        )
        plan = self.env["dataprotect.planner"].plan_orders(
            orders, now, SQL("mp.id = %s", marketplace.id)
        )
        rows = {
            "orders": self._order_rows(plan.orders),
            "deliveries": self._delivery_rows(plan.pickings),
            "invoices": self._invoice_rows(plan.invoices),
            "addresses": self._address_rows(plan.partners, plan.skipped),
        }
        data = self._zip(marketplace, now, rows)
        run.scope_order_ids = orders
        stamp = now.strftime("%Y%m%d-%H%M%S")
        run._attach_export(f"dataprotect-{marketplace.name}-{stamp}.zip", data)

    @api.model
    def _zip(self, marketplace, now, rows):
        buffer = io.BytesIO()
        manifest = {
            "marketplace": marketplace.name,
            "generated_at": now.isoformat(),
            "files": {},
        }
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for kind in KINDS:
                for name, content in (
                    (f"{kind}.json", self._json(rows[kind])),
                    (f"{kind}.csv", self._csv(rows[kind])),
                ):
                    archive.writestr(name, content)
                    manifest["files"][name] = {
                        "records": len(rows[kind]),
                        "sha256": hashlib.sha256(content).hexdigest(),
                    }
            archive.writestr("manifest.json", self._json(manifest))
        return buffer.getvalue()

    @staticmethod
    def _json(value):
        return json.dumps(value, ensure_ascii=False, indent=1).encode()

    @staticmethod
    def _csv(rows):
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow({key: _csv_value(val) for key, val in row.items()})
        return out.getvalue().encode("utf-8-sig")

    @api.model
    def _personal_columns(self, record, rules):
        """The record's personal fields, as the registry declares them
        (``rules``: ``personal_fields`` of its model)."""
        row = {}
        for name, rule in rules.items():
            field = record._fields[name]
            if rule.rule == COMPUTED or not rule.export or field.type == "binary":
                continue
            value = record[name]
            if field.type == "html":
                value = _text(value)
            elif field.type == "many2one":
                value = value[rule.subfield] if value else None
            row[name if rule.export is True else rule.export] = (
                None if value is False or value == "" else value
            )
        return row

    @api.model
    def _order_rows(self, orders):
        rows = []
        rules = personal_fields(orders)
        # what the buyers typed (custom attribute values, gift messages), read
        # for all lines at once
        all_lines = orders.order_line
        typed = known_values_by_record(all_lines)
        custom = known_values_by_record(all_lines.product_custom_attribute_value_ids)
        for order in orders:
            lines = order.order_line
            rows.append(
                {
                    "order": order.name,
                    **self._personal_columns(order, rules),
                    "date": _date(order.date_order),
                    "state": order.state,
                    "buyer_id": order.partner_id.id,
                    "invoice_address_id": order.partner_invoice_id.id,
                    "delivery_address_id": order.partner_shipping_id.id,
                    "gift_messages": [
                        value
                        for custom_value in lines.product_custom_attribute_value_ids
                        for value in custom.get(custom_value.id, [])
                    ]
                    + [value for line in lines for value in typed.get(line.id, [])],
                    "lines": [
                        {
                            "product": line.product_id.display_name or None,
                            "description": line.name,
                            "quantity": line.product_uom_qty,
                        }
                        for line in lines
                    ],
                    "amount_total": order.amount_total,
                    "currency": order.currency_id.name,
                }
            )
        return rows

    @api.model
    def _delivery_rows(self, pickings):
        rules = personal_fields(pickings)
        return [
            {
                "delivery": picking.name,
                "order": picking.sale_id.name,
                "type": picking.picking_type_code,
                "delivery_address_id": picking.partner_id.id,
                "date_done": _date(picking.date_done),
                "state": picking.state,
                **self._personal_columns(picking, rules),
            }
            for picking in pickings
        ]

    @api.model
    def _invoice_rows(self, invoices):
        rules = personal_fields(invoices)
        return [
            {
                "invoice": move.name,
                "type": move.move_type,
                "date": _date(move.invoice_date),
                "orders": move.line_ids.sale_line_ids.order_id.mapped("name"),
                "invoice_address_id": move.partner_id.id,
                "delivery_address_id": move.partner_shipping_id.id,
                **self._personal_columns(move, rules),
                "amount_total": move.amount_total,
                "currency": move.currency_id.name,
                "state": move.state,
            }
            for move in invoices
        ]

    @api.model
    def _address_rows(self, partners, kept):
        rules = personal_fields(partners)
        return [
            {
                "id": partner.id,
                "parent_id": partner.parent_id.id or None,
                "type": partner.type,
                **self._personal_columns(partner, rules),
                "anonymized_after_export": partner not in kept,
            }
            for partner in (partners | kept).sorted("id")
        ]
