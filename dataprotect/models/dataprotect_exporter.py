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
    _name = "dataprotect.exporter"
    _description = "Marketplace Personal Data Export"

    @api.model
    def _export(self, run, now):
        """Write the export file of ``run`` and remember exactly which orders it
        holds: those are the orders the purge then anonymizes."""
        marketplace = run.marketplace_id
        anonymizer = self.env["dataprotect.anonymizer"]
        orders = self.env["sale.order"].search(
            marketplace._active_order_domain(), order="id"
        )
        plan = anonymizer._plan_orders(orders, now, SQL("mp.id = %s", marketplace.id))
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
    def _order_rows(self, orders):
        anonymizer = self.env["dataprotect.anonymizer"]
        rows = []
        for order in orders:
            lines = order.order_line
            rows.append(
                {
                    "order": order.name,
                    "marketplace_reference": order.client_order_ref or None,
                    "source": order.origin or None,
                    "date": _date(order.date_order),
                    "state": order.state,
                    "buyer_id": order.partner_id.id,
                    "invoice_address_id": order.partner_invoice_id.id,
                    "delivery_address_id": order.partner_shipping_id.id,
                    "note": _text(order.note),
                    "gift_messages": anonymizer._gift_values(lines),
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
        return [
            {
                "delivery": picking.name,
                "order": picking.sale_id.name,
                "type": picking.picking_type_code,
                "delivery_address_id": picking.partner_id.id,
                "date_done": _date(picking.date_done),
                "state": picking.state,
                "note": _text(picking.note),
            }
            for picking in pickings
        ]

    @api.model
    def _invoice_rows(self, invoices):
        return [
            {
                "invoice": move.name,
                "type": move.move_type,
                "date": _date(move.invoice_date),
                "orders": move.line_ids.sale_line_ids.order_id.mapped("name"),
                "invoice_address_id": move.partner_id.id,
                "delivery_address_id": move.partner_shipping_id.id,
                "reference": move.ref or None,
                "payment_reference": move.payment_reference or None,
                "note": _text(move.narration),
                "amount_total": move.amount_total,
                "currency": move.currency_id.name,
                "state": move.state,
            }
            for move in invoices
        ]

    @api.model
    def _address_rows(self, partners, kept):
        return [
            {
                "id": partner.id,
                "parent_id": partner.parent_id.id or None,
                "type": partner.type,
                "name": partner.name,
                "street": partner.street or None,
                "street2": partner.street2 or None,
                "zip": partner.zip or None,
                "city": partner.city or None,
                "state": partner.state_id.name or None,
                "country": partner.country_id.code or None,
                "email": partner.email or None,
                "phone": partner.phone or None,
                "mobile": partner.mobile or None,
                "vat": partner.vat or None,
                "company_name": partner.company_name or None,
                "anonymized_after_export": partner not in kept,
            }
            for partner in (partners | kept).sorted("id")
        ]
