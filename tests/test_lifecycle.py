"""Upgrade and uninstall on a real database: Odoo runs in a subprocess on a
copy of the test database, with committed settings and audit log."""

import json

from odoo.tests import TransactionCase, tagged

from .common import copy_database, odoo_shell, run_odoo

# an administrator's settings, and one run of the scheduled job that
# anonymized an order shipped 60 days ago
SET_UP = """
    from datetime import timedelta
    from odoo import Command, fields

    marketplace = env.ref("dataprotect.marketplace_amazon")
    team = env["crm.team"].create({"name": "Amazon DE"})
    gift = env["ir.model.fields"].create({
        "model_id": env["ir.model"]._get_id("sale.order.line"),
        "name": "x_gift_message",
        "field_description": "Gift Message",
        "ttype": "text",
    })
    marketplace.write({
        "team_ids": [Command.set(team.ids)],
        "placeholder": "Entfernt",
        "retention_days": 45,
        "gift_message_field_id": gift.id,
    })
    env.ref("dataprotect.ir_cron_dataprotect_anonymize").active = True
    env["ir.config_parameter"].set_param("dataprotect.batch_size", "50")
    env["ir.config_parameter"].set_param("dataprotect.export_retention_days", "3")
    product = env["product.product"].create({"name": "Teekanne", "type": "consu"})
    buyer = env["res.partner"].create({"name": "Erika Mustermann", "city": "Koeln"})
    order = env["sale.order"].create({
        "partner_id": buyer.id,
        "team_id": team.id,
        "order_line": [Command.create({"product_id": product.id})],
    })
    order.action_confirm()
    order.picking_ids.move_ids.write({"quantity": 1, "picked": True})
    order.picking_ids._action_done()
    order.picking_ids.date_done = fields.Datetime.now() - timedelta(days=60)
    env.ref("dataprotect.ir_cron_dataprotect_anonymize").method_direct_trigger()
    env.cr.commit()
"""

# what an administrator sees of the addon, read with SQL (it works without
# the addon's models too)
STATE = """
    import json

    def rows(query):
        env.cr.execute(query)
        return env.cr.fetchall()

    def table(name):
        return bool(rows(f"SELECT 1 FROM pg_tables WHERE tablename = '{name}'"))

    state = {
        "xmlids": rows(
            "SELECT model, name FROM ir_model_data WHERE module = 'dataprotect' "
            "AND model IN ('ir.cron', 'ir.actions.server') ORDER BY model, name"
        ),
        "server_actions": rows(
            "SELECT name->>'en_US' FROM ir_act_server WHERE code ILIKE "
            "ANY(ARRAY['%dataprotect%', '%_cron_anonymize%', "
            "'%_cron_process_requests%', '%action_open_purge_wizard%', "
            "'%action_open_export_wizard%']) ORDER BY 1"
        ),
        "crons": rows(
            "SELECT a.name->>'en_US', c.active FROM ir_cron c JOIN ir_act_server a "
            "ON a.id = c.ir_actions_server_id WHERE a.name->>'en_US' ILIKE "
            "'Data Protection%' ORDER BY 1"
        ),
        "parameters": rows(
            "SELECT key, value FROM ir_config_parameter "
            "WHERE key LIKE 'dataprotect.%' ORDER BY key"
        ),
    }
    if table("dataprotect_marketplace"):
        marketplace = env.ref("dataprotect.marketplace_amazon")
        state["settings"] = {
            "teams": marketplace.team_ids.mapped("name"),
            "placeholder": marketplace.placeholder,
            "retention_days": marketplace.retention_days,
            "gift_message_field": marketplace.gift_message_field_id.name,
        }
        state["log"] = [
            {
                "trigger": run.trigger,
                "state": run.state,
                "orders": run.order_count,
                "partners": run.partner_count,
                "lines": sorted(run.line_ids.mapped("model")),
            }
            for run in env["dataprotect.run"].search([])
        ]
        state["anonymized_orders"] = env["sale.order"].search_count(
            [("dataprotect_anonymized_at", "!=", False)]
        )
    print("STATE", json.dumps(state))
"""


@tagged("post_install", "-at_install")
class TestLifecycle(TransactionCase):
    def _state(self, database):
        output = odoo_shell(database, STATE)
        line = next(x for x in output.splitlines() if x.startswith("STATE "))
        return json.loads(line.removeprefix("STATE "))

    def _database_with_settings_and_log(self, suffix):
        database = copy_database(self, suffix)
        odoo_shell(database, SET_UP)
        state = self._state(database)
        # the starting point is what the tests expect
        self.assertEqual(
            state["settings"],
            {
                "teams": ["Amazon DE"],
                "placeholder": "Entfernt",
                "retention_days": 45,
                "gift_message_field": "x_gift_message",
            },
        )
        self.assertEqual(
            state["crons"],
            [
                ["Data Protection: anonymize marketplace buyers", True],
                ["Data Protection: process purge and export requests", True],
            ],
        )
        self.assertEqual(len(state["server_actions"]), 6)
        self.assertEqual(
            state["parameters"],
            [
                ["dataprotect.batch_size", "50"],
                ["dataprotect.export_retention_days", "3"],
            ],
        )
        self.assertEqual(len(state["log"]), 1)
        self.assertEqual(state["log"][0]["orders"], 1)
        self.assertEqual(state["anonymized_orders"], 1)
        return database, state

    def test_upgrade_keeps_settings_and_log_uninstall_leaves_nothing(self):
        # one copy for both (each copy and each Odoo run takes a while)
        database, before = self._database_with_settings_and_log("lifecycle")
        run_odoo(database, "-u", "dataprotect", "--stop-after-init")
        self.assertEqual(
            self._state(database), before, "the upgrade changed settings or log"
        )
        self.assertTrue(before["xmlids"])
        odoo_shell(
            database,
            """
            env["ir.module.module"].search(
                [("name", "=", "dataprotect")]
            ).button_immediate_uninstall()
            """,
        )
        self.assertEqual(
            self._state(database),
            {"xmlids": [], "server_actions": [], "crons": [], "parameters": []},
            "the uninstall left something behind",
        )
