# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Store the Amazon marketplace's placeholder in the administrator's
    language: data files are loaded without one, so the default placeholder
    came out in English ("Anonymized") on a German database too."""
    admin = env.ref("base.user_admin", raise_if_not_found=False)
    marketplace = env.ref("dataprotect.marketplace_amazon", raise_if_not_found=False)
    if admin and admin.lang and marketplace:
        marketplace.placeholder = env(context={"lang": admin.lang})._("Anonymized")


def uninstall_hook(env):
    """Remove the addon's system parameters (dataprotect.batch_size,
    dataprotect.export_retention_days, ...): an administrator sets them by
    hand, so no XML id removes them with the addon."""
    env["ir.config_parameter"].sudo().search(
        [("key", "=like", "dataprotect.%")]
    ).unlink()
