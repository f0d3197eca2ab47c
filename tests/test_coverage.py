from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.dataprotect.coverage import file_text
from odoo.addons.dataprotect.models import dataprotect_coverage

from .common import NOW, REQUESTS_CRON, DataprotectCase


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

    def _start(self):
        action = self.marketplace.with_user(self.manager).action_check_coverage()
        run = self.env["dataprotect.run"].browse(action["res_id"])
        self.assertEqual((run.trigger, run.state), ("coverage", "running"))
        return run

    def _places(self, run):
        self.assertEqual(run.state, "done")
        self.assertEqual(run.scope_order_ids, self.order)
        return {
            (place.kind, place.table_name, place.column_name): (
                place.record_count,
                place.exempted_count,
            )
            for place in run.place_ids
        }

    def _check(self):
        run = self._start()
        self._process_requests()
        return self._places(run), run

    def test_a_seeded_leak_is_reported_by_table_and_column(self):
        self.order.x_packstation = f"Packstation 123, {self.buyer.name}"
        places, run = self._check()
        self.assertEqual(places, {("column", "sale_order", "x_packstation"): (1, 0)})
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

    def test_what_the_law_keeps_is_told_apart(self):
        # the invoice sent as sellers send it to a consumer: its PDF rendered
        # and e-mailed (no e-invoice)
        invoice = self.order.invoice_ids
        self.env["account.move.send"].with_context(
            force_report_rendering=True
        )._generate_and_send_invoices(
            invoice, sending_methods=["email"], invoice_edi_format=None
        )
        pdf = invoice.invoice_pdf_report_id
        self.assertIn(self.buyer.name, " ".join(file_text(pdf).split()))
        # Odoo's daily autovacuum deletes the notifications the sending left
        # for open browser tabs (older than 100 s) long before the order is due
        # (written when the transaction ends)
        self.env.cr.flush()
        self.env["bus.bus"].sudo().search([]).unlink()
        places, _run = self._check()
        # the invoice PDF is kept, and its copy in the e-mail (the same file);
        # the factur-x.xml Odoo attaches beside it in tests only (outside
        # tests it is inside the PDF) is deleted like any other file
        self.assertEqual(places, {("file", "account.move", f"#{pdf.id}"): (0, 1)})

    def test_a_large_database_is_searched_call_by_call(self):
        self.order.x_packstation = f"Packstation 123, {self.buyer.name}"
        run = self._start()
        cron = self.env.ref(REQUESTS_CRON)
        left = []
        # each call searches for a twentieth of a second, then leaves the rest
        with patch.object(dataprotect_coverage, "CALL_SECONDS", 0.05):
            while run.state == "running" and len(left) < 500:
                # (the clock runs: the call measures its time)
                with freeze_time(NOW, tick=True):
                    cron.method_direct_trigger()
                self.env.invalidate_all()
                left.append(run.remaining_count)
        self.assertGreater(len(left), 2)
        self.assertEqual(left, sorted(left, reverse=True))
        self.assertEqual(left[-1], 0)
        # the same places as in one call, each once
        self.assertEqual(
            self._places(run), {("column", "sale_order", "x_packstation"): (1, 0)}
        )

    def test_audit_trail_messages_are_kept_by_law(self):
        self.env.company.check_account_audit_trail = True
        self.order.invoice_ids.message_post(
            body=f"<p>Rechnung an {self.buyer.email} gesendet</p>"
        )
        places, _run = self._check()
        self.assertEqual(places, {("column", "mail_message", "body"): (0, 1)})
