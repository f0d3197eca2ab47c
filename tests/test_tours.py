"""Browser tours (headless Chromium) of a manager working in German on the
demo data (an order due, one not yet due, one not yet shipped): the Data
Protection settings, the purge wizard up to its confirmation, an anonymized
order and its delivery, the log with a preview and a run, and the settings
after a failed run is fixed. Each tour keeps screenshots under
artifacts/screenshots/.

Without a Chrome or Chromium browser the tours are skipped (`make test` says
so at the end); with DATAPROTECT_REQUIRE_BROWSER=1 (as in .ci/run) a missing
browser fails them instead."""

import base64
import os
import unittest
from pathlib import Path
from unittest.mock import patch

import odoo
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser, _find_executable

from .common import load_demo_data

SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
SCREENSHOT_SIGNAL = "dataprotect screenshot: "
REQUIRE_BROWSER = "DATAPROTECT_REQUIRE_BROWSER"
NO_BROWSER = "no browser tours without a Chrome or Chromium browser"


def _browser_missing(reason):
    """Skip the tours, or fail them where a browser is required (CI)."""
    if os.environ.get(REQUIRE_BROWSER):
        raise AssertionError(f"{REQUIRE_BROWSER} is set, but {reason}")
    raise unittest.SkipTest(f"{NO_BROWSER}: {reason}")


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    # the purge tour stops at the confirmation, with the marketplace's name
    # typed in but not confirmed: the wizard is left unsaved on purpose
    allow_end_on_form = True
    # tall enough for the whole Data Protection block
    browser_size = "1366x1500"

    @classmethod
    def setUpClass(cls):
        try:
            _find_executable()
        except unittest.SkipTest:
            _browser_missing("none was found (chromium, google-chrome) on PATH")
        if odoo.service.server.server is None:
            raise AssertionError(
                "Odoo's HTTP server is not running: run pytest with --odoo-http"
            )
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.module.module"].search(
            [("state", "=", "installed")]
        )._update_translations(["de_DE"])
        load_demo_data(cls.env)
        cls.marketplace = cls.env.ref("dataprotect.marketplace_amazon")
        cls.amazon_team = cls.env.ref("dataprotect.demo_team_amazon")
        cls.cron = cls.env.ref("dataprotect.ir_cron_dataprotect_anonymize")
        # what a marketplace connector adds: the buyer's gift message on the lines
        cls.gift_field = cls.env["ir.model.fields"].create(
            {
                "model_id": cls.env["ir.model"]._get_id("sale.order.line"),
                "name": "x_gift_message",
                "field_description": "Geschenknachricht",
                "ttype": "text",
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="dp_manager",
            name="Datenschutz-Managerin",
            groups="base.group_user,base.group_system,sales_team.group_sale_manager,"
            "stock.group_stock_user",
            lang="de_DE",
            tz="Europe/Berlin",
        )
        cls.orders = cls.env["sale.order"].search(
            [("team_id", "=", cls.amazon_team.id)]
        )
        cls.unshipped = cls.env.ref("dataprotect.demo_order_unshipped")
        # a German seller's company speaks German: so do its anonymized records
        cls.env.ref("base.user_admin").lang = "de_DE"

    # ------------------------------------------------------------------
    # running a tour and keeping its screenshots
    # ------------------------------------------------------------------

    def _tour(self, tour, url):
        """Run ``tour`` as the German-speaking manager; keep a screenshot of
        every screen the tour asks for (``screenshot(name)`` in the tour) and
        of its final screen in artifacts/screenshots/<tour>-<name>.png; return
        the names, sorted."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{tour}-*.png"):
            old.unlink()
        shots = []

        def save(name, data):
            path = SCREENSHOTS / f"{tour}-{name}.png"
            path.write_bytes(base64.b64decode(data))
            shots.append(path)

        original_console = ChromeBrowser._handle_console
        original_stop = ChromeBrowser.stop

        def handle_console(browser, type, args=None, **kw):  # noqa: A002
            original_console(browser, type, args=args, **kw)
            message = str(browser._from_remoteobject(args[0])) if args else ""
            if type != "log" or not message.startswith(SCREENSHOT_SIGNAL):
                return
            name = message[len(SCREENSHOT_SIGNAL) :].strip()
            future = browser._websocket_send("Page.captureScreenshot", with_future=True)

            def taken(future):
                save(name, future.result()["data"])
                # tell the tour it may go on
                browser._websocket_send(
                    "Runtime.evaluate",
                    params={
                        "expression": "document.body.classList.add("
                        f"'o_dataprotect_screenshot_{name}')"
                    },
                )

            future.add_done_callback(taken)

        def stop(browser):
            if hasattr(browser, "ws"):
                shot = browser._websocket_request("Page.captureScreenshot", timeout=20)
                save("final", shot["data"])
            original_stop(browser)

        with (
            patch.object(ChromeBrowser, "_handle_console", handle_console),
            patch.object(ChromeBrowser, "stop", stop),
        ):
            try:
                self.start_tour(url, tour, login=self.manager.login, timeout=180)
            except unittest.SkipTest as skipped:
                _browser_missing(f"the browser could not be started ({skipped})")
        for path in shots:
            self.assertEqual(path.read_bytes()[:8], b"\x89PNG\r\n\x1a\n", path)
        return sorted(path.stem[len(tour) + 1 :] for path in shots)

    # ------------------------------------------------------------------
    # the tours
    # ------------------------------------------------------------------

    def test_settings_tour(self):
        """The manager sets the Amazon sales team, the placeholder and the
        gift-message field, saves, activates the scheduled action and opens the
        preview."""
        # as shipped: no sales team yet, and no recognition rule either (the
        # recognition tour shows those)
        self.marketplace.write(
            {
                "team_ids": [Command.clear()],
                "email_domains": False,
                "order_number_pattern": False,
            }
        )
        self.assertFalse(self.cron.active)
        shots = self._tour("dataprotect_settings_tour", "/odoo/settings")
        self.assertEqual(shots, ["final", "settings"])
        self.assertEqual(self.marketplace.team_ids, self.amazon_team)
        self.assertEqual(
            self.marketplace.with_context(lang="de_DE").placeholder, "Anonymisiert"
        )
        self.assertEqual(self.marketplace.gift_message_field_id, self.gift_field)
        self.assertTrue(self.cron.active)
        preview = self.env["dataprotect.run"].search(
            [("trigger", "=", "preview"), ("user_id", "=", self.manager.id)]
        )
        self.assertEqual(len(preview), 1, "the preview is logged")
        self.assertFalse(self.orders.filtered("dataprotect_anonymized_at"))

    def test_recognition_tour(self):
        """A database whose Amazon orders arrived on a sales team nobody
        linked: the settings announce them, the manager protects them in one
        step (the team linked, the scheduled action active)."""
        self.marketplace.team_ids = [Command.clear()]
        self.assertEqual(
            set(self.orders.mapped("dataprotect_tag_reason")), {"order_number"}
        )
        self.assertFalse(self.cron.active)
        shots = self._tour("dataprotect_recognition_tour", "/odoo/settings")
        self.assertEqual(shots, ["detected", "final", "protected"])
        self.assertEqual(self.marketplace.team_ids, self.amazon_team)
        self.assertEqual(set(self.orders.mapped("dataprotect_tag_reason")), {"team"})
        self.assertTrue(self.cron.active)

    def test_deletion_tour(self):
        """The manager pastes a marketplace's deletion request (a number twice,
        a blank line, an unknown one), checks it and confirms: the run lists
        the numbers, and the requests cron erases the buyer."""
        order = self.env["sale.order"].search(
            [("client_order_ref", "=", "302-1000000-0000101")]
        )
        buyer = order.partner_id
        shots = self._tour("dataprotect_deletion_tour", "/odoo/settings")
        self.assertEqual(shots, ["checked", "final"])
        run = self.env["dataprotect.run"].search([("trigger", "=", "deletion")])
        self.assertEqual(
            {line.number: line.state for line in run.number_ids},
            {"302-1000000-0000101": "erase", "302-9999999-9999999": "not_found"},
        )
        self.assertEqual(run.duplicate_count, 1)
        self.assertFalse(order.dataprotect_anonymized_at)
        self.env.ref("dataprotect.ir_cron_dataprotect_requests").method_direct_trigger()
        self.assertEqual(run.state, "done")
        self.assertTrue(order.dataprotect_anonymized_at)
        self.assertFalse(buyer.email)

    def test_purge_tour(self):
        """The manager opens the purge wizard of the Amazon marketplace, sees
        what would change -- the order not yet shipped apart, with what that
        means -- and types the marketplace's name, which makes the button
        usable, but does not confirm: nothing is anonymized or queued."""
        shots = self._tour("dataprotect_purge_tour", "/odoo/settings")
        self.assertEqual(shots, ["final", "wizard"])
        wizard = self.env["dataprotect.purge.wizard"].search(
            [("marketplace_id", "=", self.marketplace.id)]
        )
        self.assertEqual(wizard.create_uid, self.manager)
        self.assertEqual(wizard.order_count, 3)
        self.assertEqual(wizard.open_order_ids, self.unshipped)
        self.assertFalse(
            self.env["dataprotect.run"].search([("trigger", "=", "purge")]),
            "nothing is queued before the confirmation",
        )
        self.assertFalse(self.orders.filtered("dataprotect_anonymized_at"))

    def test_anonymized_tour(self):
        """An order anonymized before it was shipped: its form warns what
        that means, and validating its delivery is refused with the reason."""
        wizard = self.env["dataprotect.erasure.wizard"].create(
            {"partner_id": self.unshipped.partner_id.id}
        )
        wizard.action_confirm()
        picking = self.unshipped.picking_ids
        self.assertTrue(picking.dataprotect_anonymized_at)
        self.assertEqual(picking.partner_id.name, "Anonymisiert")
        shots = self._tour(
            "dataprotect_anonymized_tour",
            f"/odoo/action-sale.action_orders/{self.unshipped.id}",
        )
        self.assertEqual(shots, ["delivery", "final", "order"])
        self.assertEqual(picking.state, "assigned", "nothing was shipped")

    def test_log_tour(self):
        """The log opens on the runs; the preview, shown on demand, has no
        "anonymized" counts and says that nothing was changed."""
        self.marketplace.action_open_preview()
        self.cron.method_direct_trigger()
        runs = self.env["dataprotect.run"].search([])
        self.assertEqual(
            sorted(runs.mapped("trigger")), ["cron", "preview"], runs.mapped("error")
        )
        shots = self._tour("dataprotect_log_tour", "/odoo/settings")
        self.assertEqual(shots, ["final", "preview", "runs"])

    def test_failed_run_tour(self):
        """A retention period broken past the form made the scheduled run
        fail: Settings says why, in German; fixed there, the red banner goes
        and a retry is offered."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE dataprotect_marketplace SET retention_days = -5 WHERE id = %s",
            [self.marketplace.id],
        )
        self.env.invalidate_all()
        self.cron.active = True
        self.cron.method_direct_trigger()
        failed = self.env["dataprotect.run"].search([("trigger", "=", "cron")])
        self.assertEqual(failed.state, "failed")
        shots = self._tour("dataprotect_failed_run_tour", "/odoo/settings")
        self.assertEqual(shots, ["failed", "final", "fixed"])
        self.assertEqual(self.marketplace.retention_days, 30)
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]),
            "the retry asked the scheduler to run the job",
        )
        self.assertFalse(self.orders.filtered("dataprotect_anonymized_at"))
