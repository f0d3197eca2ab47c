"""The export file over HTTP, as a manager's browser fetches it: the
Download button's route serves it and logs the download; /web/content,
the generic route to any attachment, refuses it."""

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
