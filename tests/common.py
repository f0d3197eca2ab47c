"""Shared set-up of the dataprotect tests: a company with a chart of accounts,
an Amazon sales team, buyers with delivery and invoice addresses, and helpers
that create orders shipped (or cancelled) a given number of days ago; the
addon's demo data; Odoo in a subprocess on a copy of the test database."""

import os
import shutil
import subprocess
import sys
import textwrap
import zlib
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user
from odoo.tools import config, convert_file

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.dataprotect import coverage

# the moment the scheduled action runs in the tests
NOW = datetime(2026, 11, 2, 8, 0, 0)
CRON_XMLID = "dataprotect.ir_cron_dataprotect_anonymize"
REQUESTS_CRON = "dataprotect.ir_cron_dataprotect_requests"


class DataprotectCase(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketplace = cls.env.ref("dataprotect.marketplace_amazon")
        cls.amazon_team = cls.env["crm.team"].create({"name": "Amazon DE"})
        cls.shop_team = cls.env["crm.team"].create({"name": "Webshop"})
        cls.marketplace.write(
            {
                "team_ids": [Command.set(cls.amazon_team.ids)],
                "placeholder": "Anonymized",
            }
        )
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Tea Pot",
                "type": "consu",
                "list_price": 30.0,
                "invoice_policy": "order",
            }
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Engraving",
                "type": "service",
                "list_price": 5.0,
                "invoice_policy": "order",
            }
        )
        cls.germany = cls.env.ref("base.de")
        # one batch per call: another connection would not see the tests'
        # uncommitted orders (test_concurrency runs parallel batches)
        cls.env["ir.config_parameter"].set_param("dataprotect.parallel_batches", "1")

    # ------------------------------------------------------------------
    # data
    # ------------------------------------------------------------------

    @classmethod
    def _buyer(cls, tag, **extra):
        """A buyer with a delivery and an invoice address; every personal value
        carries ``tag`` so that a test can search the database for it."""
        vals = {
            "name": f"Erika {tag} Mustermann",
            "street": f"Heidestrasse {tag} 17",
            "street2": f"Hinterhaus {tag}",
            "zip": "51147",
            "city": "Koeln",
            "country_id": cls.germany.id,
            "email": f"erika.{tag.lower()}+amazon@example.de",
            "phone": f"+49 221 {cls._digits(tag)}",
            "mobile": f"+49 170 {cls._digits(tag)}",
            "vat": f"DE{cls._digits(tag)}",
            "function": f"Buyer {tag}",
            "website": f"https://{tag.lower()}.example.de",
            "comment": f"<p>Prefers {tag} parcels</p>",
            "ref": f"CUST-{tag}",
            "child_ids": [
                Command.create(
                    {
                        "type": "delivery",
                        "name": f"Max {tag} Mustermann",
                        "street": f"Lindenallee {tag} 3",
                        "zip": "10115",
                        "city": "Berlin",
                        "country_id": cls.germany.id,
                        "phone": f"+49 30 {cls._digits(tag)}",
                    }
                ),
                Command.create(
                    {
                        "type": "invoice",
                        "name": f"Erika {tag} Invoice",
                        "street": f"Rechnungsweg {tag} 9",
                        "zip": "51147",
                        "city": "Koeln",
                        "country_id": cls.germany.id,
                        "email": f"billing.{tag.lower()}@example.de",
                    }
                ),
            ],
        }
        vals.update(extra)
        return cls.env["res.partner"].create(vals)

    @classmethod
    def _manager(cls, login):
        """A sales manager who is a Data Protection Manager."""
        return new_test_user(
            cls.env,
            login=login,
            groups="sales_team.group_sale_manager,dataprotect.group_dataprotect_manager",
            company_id=cls.env.company.id,
        )

    @classmethod
    def _gift_message_field(cls):
        """A custom gift message field of the order lines, chosen for Amazon."""
        field = cls.env["ir.model.fields"].create(
            {
                "name": "x_gift_message",
                "field_description": "Gift message",
                "model_id": cls.env["ir.model"]._get_id("sale.order.line"),
                "ttype": "char",
            }
        )
        cls.marketplace.gift_message_field_id = field
        return field

    @staticmethod
    def _digits(tag):
        return str(zlib.crc32(tag.encode()) % 10**7).rjust(7, "4")

    @classmethod
    def _personal_values(cls, buyer):
        """What must disappear from the database when the buyer is anonymized."""
        partners = buyer | buyer.child_ids
        values = []
        for partner in partners:
            values += [
                partner.name,
                partner.street,
                partner.street2,
                partner.email,
                partner.phone,
                partner.mobile,
                partner.vat,
            ]
        return [v for v in values if v]

    @classmethod
    def _order(
        cls,
        buyer,
        shipped_days_ago=None,
        team=None,
        products=None,
        invoice=True,
        deliver="full",
        note=None,
        extra_lines=(),
        reference=None,
    ):
        """An order of ``buyer`` confirmed and (fully or partly) shipped
        ``shipped_days_ago`` days before NOW, invoiced and posted; its
        customer reference is an Amazon order number on the Amazon team, a
        webshop's on another."""
        when = NOW - timedelta(days=shipped_days_ago or 0)
        team = cls.amazon_team if team is None else team
        if reference is None:
            reference = "302-1234567-7654321" if team == cls.amazon_team else "WEB-1001"
        with freeze_time(when):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": buyer.id,
                    "partner_invoice_id": buyer.child_ids.filtered(
                        lambda c: c.type == "invoice"
                    )[:1].id
                    or buyer.id,
                    "partner_shipping_id": buyer.child_ids.filtered(
                        lambda c: c.type == "delivery"
                    )[:1].id
                    or buyer.id,
                    "team_id": team.id,
                    "client_order_ref": reference,
                    "note": note or f"<p>Leave it with {buyer.name}</p>",
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 2})
                        for product in (products or cls.goods)
                    ]
                    + [Command.create(vals) for vals in extra_lines],
                }
            )
            order.action_confirm()
            if deliver and order.picking_ids:
                cls._ship(order, partial=deliver == "partial")
            if invoice:
                order._create_invoices().action_post()
            cls.env.flush_all()
        return order

    @classmethod
    def _ship(cls, order, partial=False):
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in picking.move_ids:
            move.quantity = 1 if partial else move.product_uom_qty
            move.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        return picking

    @classmethod
    def _cancelled_order(cls, buyer, cancelled_days_ago):
        with freeze_time(NOW - timedelta(days=cancelled_days_ago)):
            order = cls._order(
                buyer, shipped_days_ago=cancelled_days_ago, deliver=False, invoice=False
            )
            order._action_cancel()
            cls.env.flush_all()
        return order

    # ------------------------------------------------------------------
    # running the job and looking at the result
    # ------------------------------------------------------------------

    def _run_cron(self, now=NOW):
        """Trigger the scheduled action as the scheduler would, at ``now``."""
        with freeze_time(now):
            self.env.ref(CRON_XMLID).method_direct_trigger()
        self.env.invalidate_all()

    def _run_cron_until_done(self, now=NOW):
        """Trigger the job again while it reports remaining work, as the cron
        runner does (it commits between calls); return the number of calls."""
        for calls in range(1, 11):
            self._run_cron(now)
            progress = self.env["ir.cron.progress"].search(
                [("cron_id", "=", self.env.ref(CRON_XMLID).id)],
                order="id desc",
                limit=1,
            )
            if not progress.remaining:
                return calls
        raise AssertionError("the job did not finish in 10 calls")

    def _purge_wizard(self, user, mode="purge"):
        """The purge (or export-then-purge) wizard of Amazon, opened by user."""
        marketplace = self.marketplace.with_user(user)
        action = (
            marketplace.action_open_purge_wizard()
            if mode == "purge"
            else marketplace.action_open_export_wizard()
        )
        return self.env[action["res_model"]].with_user(user).browse(action["res_id"])

    def _process_requests(self):
        """Trigger the requests cron until it reports no remaining work."""
        cron = self.env.ref(REQUESTS_CRON)
        for _call in range(20):
            with self._frozen():
                cron.method_direct_trigger()
            progress = self.env["ir.cron.progress"].search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            if not progress.remaining:
                break
        self.env.invalidate_all()

    def _frozen(self, now=NOW):
        return freeze_time(now)

    @staticmethod
    def _days_later(days):
        return NOW + timedelta(days=days)

    def _last_run(self):
        return self.env["dataprotect.run"].search([], limit=1)

    def _files_left(self, values):
        """The attachments of the whole database (binary fields' too) whose
        stored file still holds one of the values (PDF text included), but
        the invoice documents the law keeps."""
        attachments = self.env["ir.attachment"].search(
            ["|", ("res_field", "=", False), ("res_field", "!=", False)]
        )
        left = coverage.file_places(attachments, values)
        return left - left._dataprotect_exempt_records()

    def _privacy_lookup(self, partner_name, email):
        """What Odoo's Privacy Lookup finds for a name and an e-mail: the
        independent judge of what is left of a person."""
        wizard = self.env["privacy.lookup.wizard"].create(
            {"name": partner_name, "email": email}
        )
        wizard.action_lookup()
        found = {(line.res_model, line.res_id) for line in wizard.line_ids}
        # the judge's own record holds what it was asked for
        wizard.sudo().line_ids.unlink()
        wizard.sudo().unlink()
        return found

    def _scan_database(self, values):
        """Every (table, column) of the whole database whose text holds one of
        the values, compared case-insensitively (as the coverage check
        searches)."""
        self.env.flush_all()
        return set(coverage.column_places(self.env.cr, values))


def load_demo_data(env):
    """Load the addon's demo data (dataprotect/demo/) into the test's
    transaction, as installing with demo data does."""
    for filename in env["ir.module.module"].get_module_info("dataprotect")["demo"]:
        convert_file(
            env, "dataprotect", filename, {}, mode="init", noupdate=True, kind="demo"
        )
    env.flush_all()


# ----------------------------------------------------------------------
# Odoo in a subprocess, on a copy of the test database
# ----------------------------------------------------------------------


def _pg_environ():
    """The environment of PostgreSQL's client programs: the connection of the
    Odoo configuration the tests run with."""
    environ = dict(os.environ)
    for variable, option in (
        ("PGHOST", "db_host"),
        ("PGPORT", "db_port"),
        ("PGUSER", "db_user"),
        ("PGPASSWORD", "db_password"),
    ):
        if config.get(option):
            environ[variable] = str(config[option])
    return environ


def copy_database(test_case, suffix):
    """A copy of the test database, dropped when ``test_case`` ends, for what
    a transaction that is rolled back cannot show: committed data, a real
    uninstall or upgrade, a process that dies. The copy holds what is
    committed (the installed addon, no test data); run Odoo on it with
    ``odoo_shell`` and ``run_odoo``. pg_dump, because ``createdb -T`` refuses
    a template that the tests are connected to."""
    source = test_case.env.cr.dbname
    target = f"{source}_{suffix}"
    environ = _pg_environ()

    def drop():
        subprocess.run(
            ["dropdb", "--if-exists", "--force", target], env=environ, check=True
        )
        shutil.rmtree(config.filestore(target), ignore_errors=True)

    drop()
    subprocess.run(["createdb", target], env=environ, check=True)
    test_case.addCleanup(drop)
    with subprocess.Popen(
        ["pg_dump", "--no-owner", "--no-privileges", source],
        stdout=subprocess.PIPE,
        env=environ,
    ) as dump:
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", target],
            stdin=dump.stdout,
            stdout=subprocess.DEVNULL,
            env=environ,
            check=True,
        )
    if dump.returncode:
        raise AssertionError(f"pg_dump {source} failed")
    if os.path.isdir(config.filestore(source)):
        shutil.copytree(config.filestore(source), config.filestore(target))
    return target


def run_odoo(database, *options, stdin=None, timeout=900):
    """Run Odoo (``python -m odoo``) with the tests' configuration on
    ``database`` and return its standard output; fail with its output if it
    fails."""
    command = [sys.executable, "-m", "odoo", *options]
    command += ["-c", config.rcfile, "-d", database, "--no-http"]
    done = subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise AssertionError(
            f"{' '.join(command)} failed ({done.returncode}):\n"
            f"{done.stdout}\n{done.stderr[-5000:]}"
        )
    return done.stdout


def odoo_shell(database, code):
    """Run the Python ``code`` in ``odoo shell`` on ``database`` (``env`` is
    the superuser's; the code commits what it wants to keep) and return what
    it printed."""
    return run_odoo(database, "shell", stdin=textwrap.dedent(code))
