from odoo.tests import tagged

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestCoverage(DataprotectCase):
    """The coverage check on the seller's own database: it anonymizes the
    next due order in a savepoint, finds the places that still hold a value
    of the buyer (here a custom field the registry does not know), reports
    them by table and column without the values, and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_coverage_manager")
        cls.env["ir.model.fields"].create(
            {
                "name": "x_packstation",
                "field_description": "Packstation",
                "model_id": cls.env["ir.model"]._get_id("sale.order"),
                "ttype": "char",
            }
        )
        cls.buyer = cls._buyer("Abdeckung")
        cls.order = cls._order(cls.buyer, shipped_days_ago=45)
        cls.values = cls._personal_values(cls.buyer)

    def _check(self):
        action = self.marketplace.with_user(self.manager).action_check_coverage()
        run = self.env["dataprotect.run"].browse(action["res_id"])
        self.assertEqual((run.trigger, run.state), ("coverage", "running"))
        self._process_requests()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.scope_order_ids, self.order)
        return {
            (place.kind, place.table_name, place.column_name): place.record_count
            for place in run.place_ids
        }, run

    def test_a_seeded_leak_is_reported_by_table_and_column(self):
        self.order.x_packstation = f"Packstation 123, {self.buyer.name}"
        places, run = self._check()
        self.assertEqual(places, {("column", "sale_order", "x_packstation"): 1})
        # nothing changed, and the log holds no value
        self.assertFalse(self.order.dataprotect_anonymized_at)
        self.assertEqual(self.buyer.name, "Erika Abdeckung Mustermann")
        self.assertIn(("res_partner", "street"), self._scan_database(self.values))
        run_text = str(run.read()) + str(run.place_ids.read())
        for value in self.values:
            self.assertNotIn(value, run_text)

    def test_no_place_when_the_registry_covers_everything(self):
        places, _run = self._check()
        self.assertEqual(places, {})
