import io
import json
import zipfile
from hashlib import sha256
from unittest.mock import patch

from lxml import etree
from markupsafe import Markup

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.dataprotect.models.dataprotect_exporter import DataprotectExporter
from odoo.addons.dataprotect.plan import Stats
from odoo.addons.dataprotect.tools import trusted
from odoo.addons.dataprotect.wizards import (
    dataprotect_preview_wizard,
    dataprotect_purge_wizard,
)

from .common import DataprotectCase


def announced_and_done(wizard, run):
    """What the wizard announced and what the run's log shows, in the
    wizard's words."""
    stats = Stats()
    for line in run.line_ids:
        stats.add(line.model, "anonymized", line.anonymized_count)
        stats.add(line.model, "exempted", line.exempted_count)
    return (
        (wizard.record_summary, wizard.message_count),
        (wizard._record_summary(stats), stats[("mail.message", "anonymized")]),
    )


@tagged("post_install", "-at_install")
class TestPurge(DataprotectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._manager("dp_purge_manager")
        cls.old_buyer = cls._buyer("PurgeOld")
        cls.new_buyer = cls._buyer("PurgeNew")
        cls.old_order = cls._order(cls.old_buyer, shipped_days_ago=45)
        cls.new_order = cls._order(cls.new_buyer, shipped_days_ago=3)
        cls.open_order = cls._order(cls.new_buyer, deliver=False, invoice=False)
        cls.bystander = cls._buyer("PurgeBystander")
        cls.bystander_order = cls._order(
            cls.bystander, shipped_days_ago=3, team=cls.shop_team
        )
        cls.values = cls._personal_values(cls.old_buyer) + cls._personal_values(
            cls.new_buyer
        )

    def _wizard(self, mode="purge"):
        return self._purge_wizard(self.manager, mode)

    def test_wizard_shows_what_will_be_anonymized(self):
        wizard = self._wizard()
        self.assertEqual(
            wizard.order_ids, self.old_order | self.new_order | self.open_order
        )
        self.assertEqual(wizard.order_count, 3)
        self.assertEqual(wizard.invoice_count, 2)
        self.assertEqual(wizard.picking_count, 3)
        self.assertEqual(wizard.partner_count, 6)
        self.assertEqual(wizard.skipped_count, 0)
        # the orders' messages (order confirmed, delivery done, ...) name no
        # buyer: the run changes none of them, and none is announced
        self.assertEqual(wizard.message_count, 0)
        self.assertIn("Sales Order: 3", wizard.record_summary.splitlines())
        self.assertFalse(self.old_order.dataprotect_anonymized_at)
        # the order not yet shipped nor invoiced is counted and listed apart
        self.assertEqual(wizard.open_order_ids, self.open_order)
        self.assertEqual(wizard.open_order_count, 1)
        listed = wizard.action_open_open_orders()
        self.assertEqual(listed["domain"], [("id", "in", self.open_order.ids)])
        # the confirmation button is usable once the name is typed exactly
        self.assertFalse(wizard.confirmed)
        wizard.confirm_name = "amazon"
        self.assertFalse(wizard.confirmed)
        wizard.confirm_name = " Amazon "
        self.assertTrue(wizard.confirmed)

    def test_wizard_of_a_large_marketplace_counts_the_first_orders(self):
        """With more active orders than the confirmation counts, it counts
        the first ones the purge takes and says so; the orders to anonymize,
        and the open ones among them, are counted and listed in full."""
        self._plant_messages()
        with patch.object(dataprotect_purge_wizard, "PURGE_SAMPLE_ORDERS", 2):
            wizard = self._wizard()
        first = self.old_order | self.new_order
        self.assertEqual(wizard.order_ids, first)
        self.assertEqual((wizard.total_count, wizard.order_count), (3, 2))
        self.assertEqual(
            wizard.sample_note,
            "3 orders will be anonymized. The figures below are those of the "
            "first 2, which the purge takes first: counting all of them would "
            "take as long as anonymizing them.",
        )
        # the third order is not counted, but it is open: the warning says so
        self.assertEqual(wizard.open_order_ids, self.open_order)
        self.assertEqual(wizard.message_count, 2)
        listed = wizard.action_open_all_orders()
        self.assertEqual(
            self.env["sale.order"].search(listed["domain"]), first | self.open_order
        )
        # the purge takes the counted orders first, then all the others
        self.env["ir.config_parameter"].set_param("dataprotect.batch_size", 2)
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self.env["dataprotect.job"].run_requests()
        self.assertTrue(all(first.mapped("dataprotect_anonymized_at")))
        self.assertFalse(self.open_order.dataprotect_anonymized_at)
        self.assertEqual(run.remaining_count, 1)
        self._process_requests()
        self.assertTrue(self.open_order.dataprotect_anonymized_at)
        self.assertEqual(self.bystander.name, "Erika PurgeBystander Mustermann")
        # with no more orders than it counts, no note
        self.assertFalse(self._wizard().sample_note)

    def _plant_messages(self):
        """Messages naming the buyers, as a seller's staff writes them."""
        self.old_order.message_post(
            body=Markup("<p>Hallo&nbsp;<b>Erika</b> PurgeOld Mustermann</p>"),
            message_type="comment",
        )
        self.new_order.message_post(
            body=Markup(f"<p>Paket an {self.new_buyer.child_ids[0].street}</p>"),
            message_type="comment",
        )
        self.open_order.message_post(body="Kein Name hier", message_type="comment")

    def test_the_purge_does_what_its_wizard_announced(self):
        self._plant_messages()
        self.env["ir.config_parameter"].set_param("dataprotect.batch_size", "1")
        wizard = self._wizard()
        self.assertEqual(wizard.message_count, 2)
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self._process_requests()
        announced, done = announced_and_done(wizard, run)
        self.assertEqual(announced, done)

    def test_the_export_does_what_its_wizard_announced(self):
        self._plant_messages()
        wizard = self._wizard("export")
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self._process_requests()
        self.assertEqual(run.state, "done")
        announced, done = announced_and_done(wizard, run)
        self.assertEqual(announced, done)
        self.assertEqual(wizard.message_count, 2)

    def test_wrong_name_changes_nothing(self):
        wizard = self._wizard()
        wizard.confirm_name = "amazon"
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(
            self.env["dataprotect.run"].search([("trigger", "=", "purge")])
        )
        self._process_requests()
        self.assertFalse(self.old_order.dataprotect_anonymized_at)

    def test_purge_anonymizes_everything_active_of_the_marketplace(self):
        self.env["ir.config_parameter"].set_param("dataprotect.batch_size", "1")
        wizard = self._wizard()
        wizard.confirm_name = "Amazon"
        action = wizard.action_confirm()
        run = self.env["dataprotect.run"].browse(action["res_id"])
        self.assertEqual(
            (run.trigger, run.state, run.remaining_count), ("purge", "running", 3)
        )
        self._process_requests()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.order_count, 3)
        self.assertEqual(run.partner_count, 6)
        self.assertEqual(run.user_id, self.manager)
        for order in (self.old_order, self.new_order, self.open_order):
            self.assertTrue(order.dataprotect_anonymized_at)
        self.assertEqual(self._scan_database(self.values), set())
        # the open order can no longer be shipped nor invoiced: Odoo says why
        picking = self.open_order.picking_ids
        with self.assertRaisesRegex(UserError, "delivery address is gone"):
            picking.button_validate()
        self.assertEqual(picking.state, "assigned")
        with self.assertRaisesRegex(UserError, "No invoice can be created"):
            self.open_order._create_invoices()
        self.assertFalse(self.open_order.invoice_ids)
        # no other customer's data changed
        self.assertFalse(self.bystander_order.dataprotect_anonymized_at)
        self.assertIn(
            ("res_partner", "email"), self._scan_database([self.bystander.email])
        )

    def test_export_then_purge(self):
        expected = {
            partner.id: (
                partner.name,
                partner.street,
                partner.email,
                partner.phone,
                partner.zip,
            )
            for partner in (
                self.old_buyer
                | self.old_buyer.child_ids
                | self.new_buyer
                | self.new_buyer.child_ids
            )
        }
        orders = self.old_order | self.new_order | self.open_order
        order_values = {
            o.name: (o.client_order_ref, o.partner_id.id, o.amount_total)
            for o in orders
        }
        invoices = {
            m.name: (m.partner_id.id, m.amount_total) for m in orders.invoice_ids
        }
        pickings = {
            p.name: (p.sale_id.name, p.partner_id.id) for p in orders.picking_ids
        }
        wizard = self._wizard("export")
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self._process_requests()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.scope_order_ids, orders)
        archive = zipfile.ZipFile(io.BytesIO(trusted(run.export_attachment_id).raw))
        manifest = json.loads(archive.read("manifest.json"))
        self.assertEqual(manifest["marketplace"], "Amazon")
        for name, info in manifest["files"].items():
            self.assertEqual(sha256(archive.read(name)).hexdigest(), info["sha256"])
        addresses = {
            row["id"]: row for row in json.loads(archive.read("addresses.json"))
        }
        self.assertEqual(set(addresses), set(expected))
        for pid, (name, street, email, phone, zip_code) in expected.items():
            row = addresses[pid]
            self.assertEqual(
                (row["name"], row["street"], row["email"], row["phone"], row["zip"]),
                (name, street, email or None, phone or None, zip_code),
            )
        exported_orders = {
            row["order"]: row for row in json.loads(archive.read("orders.json"))
        }
        for name, (ref, buyer_id, total) in order_values.items():
            row = exported_orders[name]
            self.assertEqual(
                (row["marketplace_reference"], row["buyer_id"], row["amount_total"]),
                (ref, buyer_id, total),
            )
        exported_invoices = {
            r["invoice"]: r for r in json.loads(archive.read("invoices.json"))
        }
        for name, (partner_id, total) in invoices.items():
            self.assertEqual(
                (
                    exported_invoices[name]["invoice_address_id"],
                    exported_invoices[name]["amount_total"],
                ),
                (partner_id, total),
            )
        exported_pickings = {
            r["delivery"]: r for r in json.loads(archive.read("deliveries.json"))
        }
        for name, (order_name, partner_id) in pickings.items():
            self.assertEqual(
                (
                    exported_pickings[name]["order"],
                    exported_pickings[name]["delivery_address_id"],
                ),
                (order_name, partner_id),
            )
        self.assertIn(
            "Erika PurgeOld Mustermann",
            archive.read("addresses.csv").decode("utf-8-sig"),
        )
        # the database holds none of it now; the file is the only copy
        self.assertEqual(self._scan_database(self.values), set())
        # the download is for managers, and logged
        action = run.with_user(self.manager).action_download_export()
        self.assertEqual(action["url"], f"/dataprotect/export/{run.id}")
        run.with_user(self.manager)._log_download()
        self.assertEqual(run.download_ids.user_id, self.manager)

    def test_export_file_only_through_the_logged_download(self):
        """Every route to an export file's content but the logged download is
        refused, to managers too: RPC reads, a copy, the stream behind
        /web/content and /web/image, with an access token as well."""
        wizard = self._wizard("export")
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self._process_requests()
        attachment = run.export_attachment_id.with_user(self.manager)
        binary = self.env["ir.binary"].with_user(self.manager)

        def with_token():
            token = attachment.sudo().generate_access_token()[0]
            record = binary._find_record(res_id=attachment.id, access_token=token)
            return binary._get_stream_from(record)

        routes = {
            "raw": lambda: attachment.raw,
            "datas": lambda: attachment.datas,
            "read": lambda: attachment.read(["datas"]),
            "copy": lambda: attachment.copy(),
            "/web/content": lambda: binary._get_stream_from(
                binary._find_record(res_id=attachment.id)
            ),
            "access token": with_token,
        }
        for route, read in routes.items():
            with self.subTest(route=route), self.assertRaises(AccessError):
                self.env.invalidate_all()
                read()
        # the file's size and name stay readable; no download was logged
        self.assertTrue(attachment.file_size)
        self.assertTrue(attachment.name.endswith(".zip"))
        self.assertFalse(run.download_ids)

    def test_export_file_expires(self):
        wizard = self._wizard("export")
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self._process_requests()
        attachment = run.export_attachment_id
        self.assertTrue(attachment)
        with self._frozen(self._days_later(8)):
            self.env["dataprotect.run"]._gc_export_files()
        self.assertFalse(attachment.exists())
        self.assertFalse(run.export_attachment_id)
        self.assertEqual(run.state, "done")

    def test_failed_export_anonymizes_nothing(self):
        wizard = self._wizard("export")
        wizard.confirm_name = "Amazon"
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        with patch.object(
            DataprotectExporter, "_invoice_rows", side_effect=OSError("disk full")
        ):
            self._process_requests()
        self.assertEqual((run.state, run.error), ("failed", "OSError"))
        self.assertFalse(run.export_attachment_id)
        for order in (self.old_order, self.new_order, self.open_order):
            self.assertFalse(order.dataprotect_anonymized_at)
        self.assertEqual(self.old_buyer.name, "Erika PurgeOld Mustermann")
        # the log entry the wizard opened says so; Settings shows the
        # scheduled action's own result only
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.dataprotect_failed_run_id)

    def test_second_purge_while_one_runs_is_refused(self):
        wizard = self._wizard()
        wizard.confirm_name = "Amazon"
        wizard.action_confirm()
        wizard = self._wizard()
        wizard.confirm_name = "Amazon"
        with self.assertRaises(UserError):
            wizard.action_confirm()


@tagged("post_install", "-at_install")
class TestErasureAndPreview(DataprotectCase):
    def test_erasure_of_a_buyer_with_two_orders(self):
        buyer = self._buyer("Forget")
        amazon = self._order(buyer, shipped_days_ago=2)
        webshop = self._order(buyer, shipped_days_ago=1, team=self.shop_team)
        values = self._personal_values(buyer)
        other = self._buyer("Remember")
        webshop.message_post(
            body=Markup("<p>R&uuml;ckruf: Erika&nbsp;Forget Mustermann</p>"),
            message_type="comment",
        )
        action = buyer.action_dataprotect_open_erasure()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.order_ids, amazon | webshop)
        self.assertIn(
            "2 contacts and addresses below Erika Forget Mustermann",
            wizard.scope_note,
        )
        self.assertEqual(wizard.partner_count, 3)
        run = self.env["dataprotect.run"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(
            (run.trigger, run.state, run.order_count), ("erasure", "done", 2)
        )
        announced, done = announced_and_done(wizard, run)
        self.assertEqual(announced, done)
        self.assertEqual(wizard.message_count, 1)
        self.assertTrue(amazon.dataprotect_anonymized_at)
        self.assertTrue(webshop.dataprotect_anonymized_at)
        self.assertEqual(self._scan_database(values), set())
        self.assertEqual(other.name, "Erika Remember Mustermann")

    def test_erasure_of_a_contact_inside_a_company(self):
        company = self.env["res.partner"].create(
            {
                "name": "Muster GmbH",
                "is_company": True,
                "street": "Industriestrasse 1",
                "email": "info@muster-gmbh.example.de",
            }
        )
        person = self.env["res.partner"].create(
            {
                "name": "Jana Kontakt",
                "parent_id": company.id,
                "type": "contact",
                "email": "jana.kontakt@example.de",
                "phone": "+49 511 999000",
            }
        )
        colleague = self.env["res.partner"].create(
            {
                "name": "Otto Kollege",
                "parent_id": company.id,
                "type": "contact",
                "email": "otto.kollege@example.de",
            }
        )
        order = self._order(person, shipped_days_ago=1)
        colleague_order = self._order(colleague, shipped_days_ago=1)
        wizard = (
            self.env["dataprotect.erasure.wizard"]
            .with_context(active_model="sale.order", active_id=order.id)
            .create({})
        )
        self.assertEqual(wizard.partner_id, person)
        self.assertIn("Muster GmbH", wizard.scope_note)
        wizard.action_confirm()
        self.assertEqual(person.name, "Anonymized")
        self.assertFalse(person.email)
        self.assertEqual(company.name, "Muster GmbH")
        self.assertEqual(company.email, "info@muster-gmbh.example.de")
        self.assertEqual(colleague.email, "otto.kollege@example.de")
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertFalse(colleague_order.dataprotect_anonymized_at)
        self.assertEqual(
            self._scan_database(["jana.kontakt@example.de", "Jana Kontakt"]), set()
        )

    def test_erasure_note_of_one_address(self):
        person = self.env["res.partner"].create(
            {
                "name": "Ömer Yılmaz",
                "child_ids": [
                    Command.create({"type": "delivery", "name": "Ömer (Packstation)"})
                ],
            }
        )
        wizard = self.env["dataprotect.erasure.wizard"].create(
            {"partner_id": person.id}
        )
        self.assertEqual(
            wizard.scope_note,
            "1 contact or address below Ömer Yılmaz is anonymized with it.",
        )

    def test_erasure_refuses_a_user(self):
        user = new_test_user(self.env, login="dp_portal", groups="base.group_portal")
        name = user.partner_id.name
        wizard = self.env["dataprotect.erasure.wizard"].create(
            {"partner_id": user.partner_id.id}
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(user.partner_id.name, name)

    def test_preview_changes_nothing(self):
        due = self._order(self._buyer("Preview"), shipped_days_ago=40)
        self._order(self._buyer("NotYet"), shipped_days_ago=10)
        with self._frozen():
            action = self.marketplace.action_open_preview()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.order_ids, due)
        self.assertEqual((wizard.order_count, wizard.partner_count), (1, 3))
        self.assertFalse(due.dataprotect_anonymized_at)
        self.assertIn("Preview", due.partner_id.name)
        # logged apart from the runs: no "anonymized" counts, its lines say
        # what would have changed
        run = self._last_run()
        self.assertEqual(
            (run.trigger, run.state, run.order_count, run.partner_count),
            ("preview", "done", 0, 0),
        )
        lines = {line.model: line.anonymized_count for line in run.line_ids}
        self.assertEqual((lines["sale.order"], lines["res.partner"]), (1, 3))
        # the log opens on its real runs (the "Runs" filter): not the preview
        Run = self.env["dataprotect.run"]
        arch = Run.get_views([(False, "search")])["views"]["search"]["arch"]
        runs = etree.fromstring(arch).xpath("//filter[@name='runs']")[0]
        self.assertNotIn(run, Run.search(safe_eval(runs.get("domain"))))
        self._run_cron()
        self.assertIn(self._last_run(), Run.search(safe_eval(runs.get("domain"))))
        action = self.env.ref("dataprotect.dataprotect_run_action")
        self.assertEqual(safe_eval(action.context), {"search_default_runs": 1})

    def test_preview_of_a_backlog_counts_the_first_orders(self):
        """With more orders due than the preview counts, it counts the first
        ones the run takes, says so, and counts and lists all due orders."""
        manager = self._manager("dp_preview_manager")
        due = self.env["sale.order"]
        for buyer in map(self._buyer, ("Özdemir", "Weiß", "Çelik", "Åström")):
            due |= self._order(buyer, shipped_days_ago=40)
        with (
            patch.object(dataprotect_preview_wizard, "PREVIEW_ORDERS", 2),
            self._frozen(),
        ):
            action = self.marketplace.with_user(manager).action_open_preview()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            self.assertEqual(wizard.order_ids, due.sorted("id")[:2])
            self.assertEqual((wizard.total_count, wizard.order_count), (4, 2))
            self.assertEqual(
                wizard.sample_note,
                "4 orders are due. The figures below are those of the first 2, "
                "which the next run takes first: counting all of them would take "
                "as long as anonymizing them.",
            )
            listed = wizard.action_open_all_orders()
            self.assertEqual(self.env["sale.order"].search(listed["domain"]), due)
            # the run takes the same orders first
            self.env["ir.config_parameter"].set_param("dataprotect.batch_size", 2)
            self.env["dataprotect.job"].run_scheduled()
        self.assertTrue(all(wizard.order_ids.mapped("dataprotect_anonymized_at")))
        self.assertFalse(
            any((due - wizard.order_ids).mapped("dataprotect_anonymized_at"))
        )
        # with no more due than it counts, no note
        with self._frozen():
            action = self.marketplace.with_user(manager).action_open_preview()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual((wizard.total_count, wizard.order_count), (2, 2))
        self.assertFalse(wizard.sample_note)

    def test_the_log_cannot_be_deleted(self):
        self._run_cron()
        with self.assertRaises(UserError):
            self._last_run().unlink()
        self.assertEqual(len(self.env["dataprotect.run"].search([])), 1)

    def test_settings_report_transport_security(self):
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "http://shop.example.de"
        )
        self.env["ir.mail_server"].create(
            {
                "name": "Plain",
                "smtp_host": "mail.example.de",
                "smtp_encryption": "none",
            }
        )
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.dataprotect_https_ok)
        self.assertIn("http://shop.example.de", settings.dataprotect_https_text)
        self.assertFalse(settings.dataprotect_mail_tls_ok)
        self.assertIn("Plain", settings.dataprotect_mail_tls_text)
        self.assertFalse(settings.dataprotect_db_ssl_ok)
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://shop.example.de"
        )
        self.env["ir.mail_server"].search([]).smtp_encryption = "starttls"
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.dataprotect_https_ok)
        self.assertTrue(settings.dataprotect_mail_tls_ok)
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("web.base.url"),
            "https://shop.example.de",
        )
