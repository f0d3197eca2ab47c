# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Data Protection for Marketplace Buyers",
    "summary": "Tag marketplace orders and anonymize buyers' personal data on schedule",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "website": "https://github.com/dataprotect/dataprotect",
    "author": "dataprotect",
    "maintainers": ["dataprotect"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sale_management", "sale_stock", "account", "mail"],
    # No external_dependencies: beyond Odoo the code imports only the standard
    # library, markupsafe and psycopg2 (Odoo's own requirements). It renders no
    # PDF (it keeps the invoice documents that exist), so it does not need
    # wkhtmltopdf itself, and declaring it would make Odoo refuse to install
    # the addon wherever wkhtmltopdf is missing.
    "data": [
        "security/dataprotect_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        # after the crons: creating the marketplace tags the existing orders
        "data/dataprotect_marketplace_data.xml",
        "data/ir_actions_server.xml",
        "views/dataprotect_marketplace_views.xml",
        "views/dataprotect_run_views.xml",
        "views/dataprotect_access_log_views.xml",
        "wizards/dataprotect_plan_wizard_views.xml",
        "wizards/dataprotect_purge_wizard_views.xml",
        "wizards/dataprotect_preview_wizard_views.xml",
        "wizards/dataprotect_erasure_wizard_views.xml",
        "wizards/dataprotect_incident_wizard_views.xml",
        "wizards/dataprotect_deletion_wizard_views.xml",
        "wizards/dataprotect_access_review_views.xml",
        "views/dataprotect_menus.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/stock_picking_views.xml",
        "views/res_partner_views.xml",
    ],
    "demo": ["demo/dataprotect_demo.xml"],
    "assets": {
        "web.assets_tests": ["dataprotect/static/tests/tours/*.js"],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
