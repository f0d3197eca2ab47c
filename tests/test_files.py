import io
import os

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.dataprotect.tools import trusted

from .common import DataprotectCase


@tagged("post_install", "-at_install")
class TestFiles(DataprotectCase):
    """The buyer's files go, wherever Odoo put them, and leave the file store
    when the run commits; the invoice's own documents stay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_files_manager")
        cls.buyer = cls._buyer("Dateien")
        cls.order = cls._order(cls.buyer, shipped_days_ago=45)
        # the order confirmation e-mailed as Odoo does it: the rendered report
        # is attached to the e-mail's message, not to the order
        # (rendered as a real PDF, as outside tests)
        template = cls.env.ref("sale.email_template_edi_sale").with_context(
            force_report_rendering=True
        )
        mail = cls.env["mail.mail"].browse(template.send_mail(cls.order.id))
        cls.confirmation = cls.env["ir.attachment"].search(
            [
                ("res_model", "=", "mail.message"),
                ("res_id", "=", mail.mail_message_id.id),
            ]
        )
        # the invoice sent as sellers send it: its PDF rendered and e-mailed
        invoice = cls.order.invoice_ids
        cls.env["account.move.send"].with_context(
            force_report_rendering=True
        )._generate_and_send_invoices(
            invoice, sending_methods=["email"], invoice_edi_format=None
        )
        cls.invoice_pdf = invoice.invoice_pdf_report_id
        # the buyer's withdrawal letter, e-mailed in reply to the invoice: Odoo
        # attaches it to the invoice
        cls.letter = invoice.message_post(
            body="<p>Anbei mein Widerruf</p>",
            author_id=cls.buyer.id,
            message_type="email",
            attachments=[(f"{cls.buyer.name} Widerruf.pdf", b"%PDF-1.4 Widerruf")],
        ).attachment_ids

    def setUp(self):
        super().setUp()
        self.confirmation_path = self._path(self.confirmation)

    def _path(self, attachment):
        """The attachment's file; put back after the test, which removes it
        from the file store (the file store is not rolled back with the
        test's transaction)."""
        path = attachment._full_path(attachment.store_fname)
        content = trusted(attachment).raw
        self.addCleanup(self._put_back, path, content)
        return path

    @staticmethod
    def _put_back(path, content):
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as file:
                file.write(content)

    def _assert_confirmation_gone(self, path):
        self.assertFalse(self.confirmation.exists())
        # the file leaves the file store when the run's transaction commits
        self.assertTrue(os.path.exists(path))
        self.env.cr.postcommit.run()
        self.assertFalse(os.path.exists(path))
        self.assertTrue(self.invoice_pdf.exists())
        self.assertTrue(os.path.exists(self._path(self.invoice_pdf)))
        self.assertFalse(self.letter.exists())

    def test_the_mailed_confirmation_is_planted_as_odoo_sends_it(self):
        self.assertEqual(len(self.confirmation), 1)
        self.assertEqual(self.letter.res_model, "account.move")
        self.assertIn("Widerruf", self.letter.name)
        pdf = PdfFileReader(io.BytesIO(self.confirmation.raw))
        text = " ".join(page.extract_text() for page in pdf.pages)
        # the buyer's name and street, as the PDF shows them
        self.assertIn(self.buyer.name, " ".join(text.split()))
        self.assertIn(self.buyer.street, " ".join(text.split()))
        self.assertTrue(os.path.exists(self.confirmation_path))

    def test_the_job_deletes_the_mailed_confirmation(self):
        path = self.confirmation_path
        self._run_cron()
        self.assertTrue(self.order.dataprotect_anonymized_at)
        self._assert_confirmation_gone(path)

    def test_the_erasure_deletes_the_mailed_confirmation(self):
        path = self.confirmation_path
        wizard = (
            self.env["dataprotect.erasure.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.buyer.id})
        )
        wizard.action_confirm()
        self._assert_confirmation_gone(path)

    def test_the_wizard_counts_the_files_and_removes_none(self):
        path = self.confirmation_path
        wizard = (
            self.env["dataprotect.erasure.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.buyer.id})
        )
        # deleted: the confirmation, the buyer's letter and the factur-x.xml
        # Odoo attaches in tests (outside tests it is inside the PDF); kept:
        # the invoice PDF and its copy in the e-mail that sent it
        self.assertIn(
            "Attachment: 3, 2 kept as the law requires", wizard.record_summary
        )
        # the wizard anonymized in a transaction it rolled back: nothing is
        # gone, not even when the wizard's transaction commits
        self.env.cr.postcommit.run()
        self.assertTrue(self.confirmation.exists())
        self.assertTrue(os.path.exists(path))
        self.assertIn(self.buyer.street, self.order.partner_id.street)

    def test_an_expired_export_leaves_the_file_store(self):
        wizard = self._purge_wizard(self.manager, "export")
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self._process_requests()
        export = run.export_attachment_id
        path = self._path(export)
        self.assertTrue(os.path.exists(path))
        with self._frozen(self._days_later(8)):
            self.env["dataprotect.run"]._gc_export_files()
        self.assertFalse(export.exists())
        self.env.cr.postcommit.run()
        self.assertFalse(os.path.exists(path))
