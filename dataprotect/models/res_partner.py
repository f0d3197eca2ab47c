# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..personal_data import CLEAR, COMPUTED, KEEP, PLACEHOLDER, Field, personal_fields
from ..tools import lookup_each

STATISTICS = "kept for statistics: not enough to identify a person"
# the person's own values: cleared, and searched for elsewhere
OWN = Field(CLEAR, known=True)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "dataprotect.mixin"]

    # the exported columns first, in the export's order
    _dataprotect_fields = {
        "name": Field(PLACEHOLDER, known=True),
        **dict.fromkeys(("street", "street2"), OWN),
        **dict.fromkeys(("zip", "city"), Field(KEEP, reason=STATISTICS)),
        "state_id": Field(KEEP, reason=STATISTICS, export="state", subfield="name"),
        "country_id": Field(KEEP, reason=STATISTICS, export="country", subfield="code"),
        **dict.fromkeys(
            (
                "email",
                "phone",
                "mobile",
                "vat",
                "company_name",
                "company_registry",
                "peppol_endpoint",
                "website",
                "function",
                "ref",
                "barcode",
                # the values of the partners merged into this one
                "dataprotect_merged_values",
            ),
            OWN,
        ),
        **dict.fromkeys(
            (
                "title",
                "comment",
                "partner_latitude",
                "partner_longitude",
                "additional_info",
                "invoice_warn_msg",
                "sale_warn_msg",
                "picking_warn_msg",
            ),
            Field(CLEAR),
        ),
        # what Odoo stores of the fields above: searched for elsewhere
        **dict.fromkeys(
            (
                "complete_name",
                "commercial_company_name",
                "email_normalized",
                "phone_sanitized",
            ),
            Field(COMPUTED, known=True),
        ),
        # files (attachments): deleted
        **dict.fromkeys(
            ("image_1920", "image_1024", "image_512", "image_256", "image_128"),
            Field(CLEAR, export=False),
        ),
    }

    dataprotect_merged_values = fields.Json(
        string="Values of Merged Partners",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The personal values of the partners merged into this one: the "
        "merge leaves copies of them (its chatter message, the merged partners' "
        "messages and tracking values), which anonymizing this partner replaces "
        "too. Cleared when this partner is anonymized.",
    )

    dataprotect_order_names = fields.Char(
        string="Marketplace Orders",
        compute="_compute_dataprotect_order_names",
        help="The orders of an anonymized contact: what tells one anonymized "
        "contact from another (they all bear the placeholder as their name).",
    )

    def _compute_dataprotect_order_names(self):
        anonymized = self.filtered("dataprotect_anonymized_at")
        names = {}
        # a contact list is for everyone: users without Sales see no orders
        if anonymized.ids and self.env["sale.order"].has_access("read"):
            orders = self.env["sale.order"].search_read(
                [
                    "|",
                    "|",
                    ("partner_id", "in", anonymized.ids),
                    ("partner_invoice_id", "in", anonymized.ids),
                    ("partner_shipping_id", "in", anonymized.ids),
                ],
                ["name", "partner_id", "partner_invoice_id", "partner_shipping_id"],
                order="id",
            )
            for order in orders:
                for fname in (
                    "partner_id",
                    "partner_invoice_id",
                    "partner_shipping_id",
                ):
                    partner_names = names.setdefault(order[fname][0], [])
                    if order["name"] not in partner_names:
                        partner_names.append(order["name"])
        for partner in self:
            partner.dataprotect_order_names = ", ".join(names.get(partner.id, []))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("parent_id") and "dataprotect_marketplace_id" not in vals:
                parent = self.browse(vals["parent_id"])
                if (
                    parent.dataprotect_marketplace_id
                    and not parent.dataprotect_anonymized_at
                ):
                    vals["dataprotect_marketplace_id"] = (
                        parent.dataprotect_marketplace_id.id
                    )
        return super().create(vals_list)

    def write(self, vals):
        # personal data entered again on an anonymized partner is active again
        if (
            vals.keys() & self._dataprotect_entered_fields()
            and "dataprotect_anonymized_at" not in vals
            and not self.env.context.get("dataprotect_anonymizing")
        ):
            marked = self.filtered("dataprotect_anonymized_at")
            if marked:
                super(ResPartner, marked).write({"dataprotect_anonymized_at": False})
        res = super().write(vals)
        if "email" in vals and not self.env.context.get("dataprotect_anonymizing"):
            # an order may be recognised by its buyer's e-mail domain
            orders = (
                self.env["sale.order"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        "|",
                        "|",
                        ("partner_id", "in", self.ids),
                        ("partner_invoice_id", "in", self.ids),
                        ("partner_shipping_id", "in", self.ids),
                        ("dataprotect_anonymized_at", "=", False),
                    ]
                )
            )
            self.env["dataprotect.tagger"]._tag_orders(orders)
        return res

    @api.model
    def _dataprotect_entered_fields(self):
        """The fields that, written on an anonymized partner, make its
        personal data active again: the person's own values (not the
        addon's memory of merged values)."""
        return {
            name
            for name, field in personal_fields(self, (CLEAR, PLACEHOLDER)).items()
            if field.known
        } - {"dataprotect_merged_values"}

    def _dataprotect_walk(self, column, select, condition=None):
        """The ids reached from these partners level by level: at each level
        the ``res_partner`` rows ``t`` whose ``column`` is one of the level's
        ids and where ``condition`` holds give ``select``, each looked up by
        index (``lookup_each``)."""
        reached = set()
        level = set(self.ids)
        while level:
            self.env.cr.execute(
                lookup_each(level, "res_partner", column, select, condition)
            )
            level = {row[0] for row in self.env.cr.fetchall()} - reached
            reached |= level
        return reached

    def _dataprotect_with_descendants(self):
        """These partners and all their child contacts, archived ones included."""
        self.flush_model(["parent_id"])
        children = self._dataprotect_walk("parent_id", SQL("t.id"))
        return self.browse(sorted(children.union(self.ids)))

    def _dataprotect_marketplace_ancestors(self):
        """The ancestors of these partners that a marketplace document pointed
        at (they carry its tag) and that are not anonymized yet."""
        self.flush_model(
            ["parent_id", "dataprotect_marketplace_id", "dataprotect_anonymized_at"]
        )
        ancestors = self._dataprotect_walk(
            "id", SQL("t.parent_id"), SQL("t.parent_id IS NOT NULL")
        )
        if not ancestors:
            return self.browse()
        self.env.cr.execute(
            lookup_each(
                ancestors,
                "res_partner",
                "id",
                SQL("t.id"),
                SQL(
                    "t.dataprotect_marketplace_id IS NOT NULL "
                    "AND t.dataprotect_anonymized_at IS NULL"
                ),
            )
        )
        return self.browse(sorted(row[0] for row in self.env.cr.fetchall()))

    def action_dataprotect_open_erasure(self):
        """Open the confirmation of a single-person erasure."""
        self.env["dataprotect.marketplace"]._check_manager()
        self.ensure_one()
        wizard = self.env["dataprotect.erasure.wizard"].create({"partner_id": self.id})
        return wizard._action_open()
