# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A batch of the scheduled job worked in a thread, on a connection of its
own, committed by itself (as the call's own batch is by the cron runner)."""

import logging
import threading

from odoo import api

_logger = logging.getLogger(__name__)


class BatchThread(threading.Thread):
    """Runs ``work(env)`` in a new transaction of ``env``'s database, with
    its user, context and superuser mode, and commits it. Started at once;
    ``join()`` it, then read ``done``, ``failed`` and ``retry`` as ``work``
    returned them (``retry`` when it raised: nothing of it was kept)."""

    def __init__(self, env, work):
        super().__init__(name="dataprotect batch", daemon=True)
        self.registry, self.uid, self.context = env.registry, env.uid, env.context
        self.su = env.su
        self.work = work
        self.done, self.failed, self.retry = 0, False, False
        self.start()

    def run(self):
        current = threading.current_thread()
        current.dbname, current.uid = self.registry.db_name, self.uid
        try:
            with self.registry.cursor() as cr:
                result = self.work(api.Environment(cr, self.uid, self.context, self.su))
            # committed: count it
            self.done, self.failed, self.retry = result
        except Exception as error:  # noqa: BLE001 -- the class only, never its text
            _logger.error(
                "dataprotect: a parallel batch could not run (%s); nothing of it "
                "was kept, the next call takes its orders",
                type(error).__name__,
            )
            self.retry = True
