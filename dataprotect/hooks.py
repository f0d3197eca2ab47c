# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def uninstall_hook(env):
    """Remove the addon's system parameters (dataprotect.batch_size,
    dataprotect.export_retention_days, ...): an administrator sets them by
    hand, so no XML id removes them with the addon."""
    env["ir.config_parameter"].sudo().search(
        [("key", "=like", "dataprotect.%")]
    ).unlink()
