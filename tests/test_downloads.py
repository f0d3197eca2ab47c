"""Over HTTP, as a browser asks: the export file (the Download button's
route serves it and logs the download; /web/content, the generic route to
any attachment, refuses it), and an order's form read through the route Odoo
runs on a read-only cursor (the access log's write makes Odoo run it again
on a read/write one)."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_demo_data


@tagged("post_install", "-at_install")
class TestDownloads(HttpCase):
    def test_export_file_over_http(self):
        load_demo_data(self.env)
        manager = new_test_user(
            self.env,
            login="dp_downloader",
            groups="base.group_user,sales_team.group_sale_manager,"
            "dataprotect.group_dataprotect_manager",
        )
        marketplace = self.env.ref("dataprotect.marketplace_amazon")
        run = marketplace.with_user(manager)._start_request("export")
        self.env.ref("dataprotect.ir_cron_dataprotect_requests").method_direct_trigger()
        attachment = run.export_attachment_id
        self.assertTrue(attachment)
        self.authenticate("dp_downloader", "dp_downloader")

        refused = self.url_open(f"/web/content/{attachment.id}?download=true")
        # Odoo answers a refused record as one it does not have
        self.assertEqual(refused.status_code, 404)
        self.assertNotEqual(refused.content[:2], b"PK")
        self.assertFalse(run.download_ids)

        logged = self.url_open(f"/dataprotect/export/{run.id}")
        self.assertEqual(logged.status_code, 200)
        self.assertEqual(logged.content[:2], b"PK")
        self.assertEqual(run.download_ids.user_id, manager)
        entry = self.env["dataprotect.access.log"].search([("kind", "=", "download")])
        self.assertEqual(
            (entry.user_id, entry.model, entry.res_id, entry.marketplace_id),
            (manager, "dataprotect.run", run.id, marketplace),
        )

    def test_reading_a_form_over_http_is_logged(self):
        load_demo_data(self.env)
        new_test_user(
            self.env,
            login="dp_reader",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
        )
        order = self.env["sale.order"].search(
            [
                ("dataprotect_marketplace_id", "!=", False),
                ("dataprotect_anonymized_at", "=", False),
            ],
            limit=1,
        )
        self.authenticate("dp_reader", "dp_reader")
        values = self.make_jsonrpc_request(
            "/web/dataset/call_kw/sale.order/web_read",
            {
                "model": "sale.order",
                "method": "web_read",
                "args": [order.ids],
                "kwargs": {
                    "specification": {
                        "name": {},
                        "partner_id": {"fields": {"display_name": {}}},
                    }
                },
            },
        )
        self.assertEqual(
            values[0]["partner_id"]["display_name"], order.partner_id.display_name
        )
        entry = self.env["dataprotect.access.log"].search([])
        self.assertEqual(
            (entry.user_id.login, entry.model, entry.res_id, entry.kind, entry.count),
            ("dp_reader", "sale.order", order.id, "form", 1),
        )
