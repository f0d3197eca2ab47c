import io
import json
import os
import re
import zipfile
from pathlib import Path
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.dataprotect import personal_data
from odoo.addons.dataprotect.personal_data import CLEAR, Field
from odoo.addons.dataprotect.tools import trusted

from .common import DataprotectCase

DOC = Path(__file__).parent.parent / "docs" / "personal-data.md"


@tagged("post_install", "-at_install")
class TestRegistry(DataprotectCase):
    """A field added to the personal-data registry by overriding one method
    is cleared by the job, exported and counted by the preview, with no other
    change; the documentation's table is the registry's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_registry_manager")
        cls.env["ir.model.fields"].create(
            {
                "name": "x_buyer_note",
                "field_description": "Buyer's note",
                "model_id": cls.env["ir.model"]._get_id("sale.order"),
                "ttype": "text",
            }
        )
        cls.buyer = cls._buyer("Registry")
        cls.order = cls._order(cls.buyer, shipped_days_ago=45)
        cls.order.x_buyer_note = "Bitte bei Frau Schäfer im 2. OG abgeben"
        cls.recent = cls._order(cls._buyer("RegistryNew"), shipped_days_ago=3)
        cls.recent.x_buyer_note = "Klingel defekt, bitte anrufen"

    def _declared(self):
        """The registry with the custom field, as a seller's addon declares it."""
        orders = type(self.env["sale.order"])
        declared = orders._dataprotect_personal_fields

        def with_note(records):
            return {**declared(records), "x_buyer_note": Field(CLEAR)}

        return patch.object(orders, "_dataprotect_personal_fields", with_note)

    def test_a_declared_field_is_cleared_exported_and_counted(self):
        with self._declared():
            with self._frozen():
                preview = self.marketplace.with_user(self.manager).action_open_preview()
            summary = (
                self.env[preview["res_model"]].browse(preview["res_id"]).field_summary
            )
            self._run_cron()
            self.assertFalse(self.order.x_buyer_note)
            self.assertEqual(self.recent.x_buyer_note, "Klingel defekt, bitte anrufen")

            wizard = self._purge_wizard(self.manager, "export")
            wizard.confirm_name = "Amazon"
            run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
            self._process_requests()
        # the preview counted the due order's note, not the other order's
        self.assertIn("(x_buyer_note): 1", summary)
        archive = zipfile.ZipFile(io.BytesIO(trusted(run.export_attachment_id).raw))
        rows = {row["order"]: row for row in json.loads(archive.read("orders.json"))}
        self.assertEqual(
            rows[self.recent.name]["x_buyer_note"], "Klingel defekt, bitte anrufen"
        )
        self.assertIn("x_buyer_note", archive.read("orders.csv").decode("utf-8-sig"))
        self.assertFalse(self.recent.x_buyer_note)

    def test_without_the_declaration_the_field_is_left(self):
        """The field is in no list of the addon's: only the registry makes
        the job clear it."""
        self._run_cron()
        self.assertTrue(self.order.dataprotect_anonymized_at)
        self.assertEqual(
            self.order.x_buyer_note, "Bitte bei Frau Schäfer im 2. OG abgeben"
        )

    def test_the_documented_table_is_the_registry(self):
        """``DATAPROTECT_WRITE_DOCS=1 make test PYTEST_ARGS='-k documented'``
        writes the table anew."""
        pattern = re.compile(
            r"(<!-- registry:begin -->\n)(.*)(<!-- registry:end -->)", re.S
        )
        text = DOC.read_text(encoding="utf-8")
        table = personal_data.table(self.env)
        if os.environ.get("DATAPROTECT_WRITE_DOCS"):
            text = pattern.sub(lambda m: m.group(1) + table + m.group(3), text)
            DOC.write_text(text, encoding="utf-8")
        self.assertEqual(
            pattern.search(text).group(2),
            table,
            "docs/personal-data.md is out of date: run this test with "
            "DATAPROTECT_WRITE_DOCS=1",
        )
