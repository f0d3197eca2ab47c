# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which marketplace an order comes from, and why: the tagging of orders.

An order is a marketplace's when its sales team is one of the marketplace's
(reason ``team``), or else when it matches one of the marketplace's
recognition rules: a buyer's e-mail domain (``email``) or the order number in
its customer reference or source document (``order_number``). The rules are
matched in PostgreSQL only, by the two condition builders below, which serve
the tagging, the count a manager sees before saving a rule (``_rule_matches``),
the check that refuses a rule matching ordinary orders (``_rule_errors``) and
the settings' announcement of the orders the rules found (``_detected``).

Orders tag themselves when they are created or their team, buyer or
reference change. When a marketplace's teams or rules change, every order not
yet anonymized is tagged again, in batches of ``dataprotect.batch_size``
orders, each a short transaction of its own: the first batch at once, the
others by the requests cron; ``dataprotect.tagging_next_id`` holds where the
pass goes on.
"""

import re

import psycopg2.errors

from odoo import api, models
from odoo.tools import SQL

from ..tools import PLAN_SETTINGS, id_array, local_settings
from .dataprotect_job import CONCURRENCY_ERRORS
from .sale_order import ORDER_NUMBER_FIELDS

# an e-mail domain pattern: letters, digits, hyphens, dots and *, with a dot
DOMAIN_PATTERN = re.compile(r"[a-z0-9*-]+(\.[a-z0-9*-]+)+")
# what no marketplace's rule may match: people's own mail providers, and
# order references as webshops, Odoo and people write them
ORDINARY_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "icloud.com",
    "example.com",
)
ORDINARY_REFERENCES = (
    "",
    "1",
    "S00042",
    "SO042",
    "WEB-4711",
    "2026-0001",
    "Bestellung 4711",
)


def split_domains(text):
    """The domain patterns of a text as a manager enters them: one per line
    (or separated by commas or spaces), lower case, without what precedes an
    @ (``*@marketplace.amazon.de``)."""
    words = (word.lower() for word in re.split(r"[\s,;]+", text or ""))
    return list(dict.fromkeys(w[w.rfind("@") + 1 :] for w in words if w.strip("@")))


TAGGING_PARAM = "dataprotect.tagging_next_id"
REASONS = ("team", "email", "order_number")
RULE_REASONS = ("email", "order_number")


def domain_matches(domain, patterns):
    """SQL condition: the e-mail domain ``domain`` (lower case) matches one of
    ``patterns``, an SQL array of domain patterns where ``*`` stands for any
    text (``marketplace.amazon.*``)."""
    return SQL(
        "%s LIKE ANY(SELECT replace(p, '*', %s) FROM unnest(%s) p)",
        domain,
        "%",
        patterns,
    )


def number_matches(reference, pattern):
    """SQL condition: the whole of ``reference`` (trimmed) matches the regular
    expression ``pattern``."""
    return SQL("btrim(%s) ~ ('^(?:' || %s || ')$')", reference, pattern)


def patterns_array(text):
    """The domain patterns of a marketplace's ``email_domains`` (one per
    line) as an SQL array."""
    return SQL("array_remove(string_to_array(coalesce(%s, ''), E'\\n'), '')", text)


class DataprotectTagger(models.AbstractModel):
    _name = "dataprotect.tagger"
    _description = "Marketplace Order Tagging"

    @api.model
    def _rule_reason(self, domains, pattern):
        """SQL: the rule an order ``so`` matches (``email``, ``order_number``)
        or NULL; ``domains`` is an SQL array of domain patterns, ``pattern``
        an SQL text (NULL: no order-number rule)."""
        email = SQL(
            """EXISTS (
                SELECT 1 FROM res_partner buyer
                WHERE buyer.id IN (so.partner_id, so.partner_invoice_id,
                                   so.partner_shipping_id)
                  AND buyer.email_normalized IS NOT NULL
                  AND %s)""",
            domain_matches(SQL("split_part(buyer.email_normalized, '@', 2)"), domains),
        )
        number = SQL(
            "(%s)",
            SQL(" OR ").join(
                number_matches(SQL("so.%s", SQL.identifier(name)), pattern)
                for name in ORDER_NUMBER_FIELDS
            ),
        )
        return SQL(
            """CASE WHEN %s THEN 'email'
                    WHEN %s IS NOT NULL AND %s THEN 'order_number' END""",
            email,
            pattern,
            number,
        )

    @api.model
    def _tag_query(self, where, limit=None):
        """SQL selecting, for the orders not yet anonymized that satisfy
        ``where`` (on ``so``), oldest first: id, current marketplace and
        reason, and the marketplace and reason they should have. A team of a
        marketplace comes first, then the rules, each marketplace in the order
        of its id; archived marketplaces tag nothing."""
        return SQL(
            """
            SELECT so.id, so.dataprotect_marketplace_id, so.dataprotect_tag_reason,
                   tag.marketplace_id, tag.reason
            FROM sale_order so
            LEFT JOIN LATERAL (
                SELECT mp.id AS marketplace_id, rule.reason
                FROM dataprotect_marketplace mp
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN EXISTS (
                        SELECT 1 FROM dataprotect_marketplace_crm_team_rel rel
                        WHERE rel.marketplace_id = mp.id AND rel.team_id = so.team_id
                    ) THEN 'team' ELSE %(rule)s END AS reason
                ) rule
                WHERE mp.active AND rule.reason IS NOT NULL
                ORDER BY rule.reason = 'team' DESC, mp.id
                LIMIT 1
            ) tag ON TRUE
            WHERE so.dataprotect_anonymized_at IS NULL AND %(where)s
            ORDER BY so.id %(limit)s
            """,
            rule=self._rule_reason(
                patterns_array(SQL("mp.email_domains")),
                SQL("nullif(btrim(mp.order_number_pattern), '')"),
            ),
            where=where,
            limit=SQL("LIMIT %s", limit) if limit else SQL(),
        )

    @api.model
    def _apply(self, rows):
        """Give the orders of ``rows`` (``_tag_query``) the marketplace and
        reason they should have, through the ORM: their deliveries and
        invoices follow, their partners are tagged. Return how many changed."""
        changes = {}
        for order_id, current, reason, new, new_reason in rows:
            if (current, reason) != (new, new_reason):
                changes.setdefault((new, new_reason), []).append(order_id)
        orders = self.env["sale.order"].sudo().with_context(tracking_disable=True)
        for (marketplace_id, reason), ids in changes.items():
            orders.browse(ids).write(
                {
                    "dataprotect_marketplace_id": marketplace_id or False,
                    "dataprotect_tag_reason": reason or False,
                }
            )
        changed = orders.browse([i for ids in changes.values() for i in ids])
        changed._dataprotect_tag_partners()
        return len(changed)

    @api.model
    def _tag_orders(self, orders):
        """Tag these orders as their team, buyers and references say."""
        ids = [id_ for id_ in orders.ids if id_]
        if not ids:
            return 0
        self.env.flush_all()
        return self._apply(
            self._fetch(self._tag_query(SQL("so.id = ANY(%s)", id_array(ids))))
        )

    @api.model
    def _start(self):
        """A marketplace's teams or rules changed: tag every order not yet
        anonymized again, the first batch now, the rest in the background.
        When another transaction holds or has changed one of the first
        batch's orders, the background does it all: saving the change never
        fails for the tagging."""
        self._params().set_param(TAGGING_PARAM, "0")
        try:
            with self.env.cr.savepoint():
                more = self._step(nowait=True)
        except CONCURRENCY_ERRORS:
            self.env.invalidate_all()
            more = True
        if more:
            cron = self.env.ref(
                "dataprotect.ir_cron_dataprotect_requests", raise_if_not_found=False
            )
            if cron:
                cron.sudo()._trigger()

    @api.model
    def _pending(self):
        """Whether a tagging pass is under way."""
        return bool(self._params().get_param(TAGGING_PARAM))

    @api.model
    def _step(self, limit=None, nowait=False):
        """Tag the next batch of the pass under way; return whether orders
        remain after it. The batch's orders are locked first, so that
        another transaction writing one of them waits for the batch instead
        of making it fail halfway (``nowait``: fail at once if one is held)."""
        after = self._params().get_param(TAGGING_PARAM)
        if not after:
            return False
        limit = limit or self.env["dataprotect.job"]._batch_size()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM sale_order
                   WHERE dataprotect_anonymized_at IS NULL AND id > %s
                   ORDER BY id LIMIT %s FOR NO KEY UPDATE %s""",
                int(after),
                limit,
                SQL("NOWAIT") if nowait else SQL(),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self._apply(
                self._fetch(self._tag_query(SQL("so.id = ANY(%s)", id_array(ids))))
            )
        more = len(ids) == limit
        self._params().set_param(TAGGING_PARAM, more and str(ids[-1]))
        return more

    @api.model
    def _normalized_rules(self, email_domains, order_number_pattern):
        """Rules as a manager enters them, as they are stored."""
        return (
            "\n".join(split_domains(email_domains)) or False,
            (order_number_pattern or "").strip() or False,
        )

    @api.model
    def _saved_rules(self, marketplace):
        """The marketplace's rules as stored (not as a form holds them)."""
        if not marketplace.id:
            return False, False
        self.env.cr.execute(
            "SELECT email_domains, order_number_pattern FROM dataprotect_marketplace "
            "WHERE id = %s",
            [marketplace.id],
        )
        return tuple(value or False for value in self.env.cr.fetchone())

    @api.model
    def _edited_rule_matches(self, marketplace, email_domains, order_number_pattern):
        """``_rule_matches`` of rules being edited: rules as saved newly tag
        nothing, and a form showing them would read every order each time it
        is opened. ``(False, False)`` while the rules are the saved ones."""
        entered = self._normalized_rules(email_domains, order_number_pattern)
        if entered == self._saved_rules(marketplace):
            return False, False
        return self._rule_matches(marketplace, email_domains, order_number_pattern)

    @api.model
    def _rule_matches(self, marketplace, email_domains, order_number_pattern):
        """What rules as entered (saved or not) would make ``marketplace``'s
        (or any marketplace's, without one): a text per sales team (orders
        matched of all its orders not yet anonymized, how many of them newly),
        and whether they newly tag orders of a team not linked to the
        marketplace (a webshop's?)."""
        domains = split_domains(email_domains)
        pattern = (order_number_pattern or "").strip()
        if not domains and not pattern or self._rule_errors(domains, pattern):
            return False, False
        self.env.flush_all()
        rows = self._fetch(
            SQL(
                """
            SELECT so.team_id, count(*) FILTER (WHERE matched),
                   count(*) FILTER (WHERE matched AND so.dataprotect_marketplace_id
                                    IS DISTINCT FROM %(marketplace)s),
                   count(*)
            FROM sale_order so
            CROSS JOIN LATERAL (SELECT %(reason)s IS NOT NULL AS matched) rule
            WHERE so.dataprotect_anonymized_at IS NULL
            GROUP BY so.team_id
            """,
                marketplace=marketplace.id or None,
                reason=self._rule_reason(SQL("%s::text[]", domains), pattern or None),
            )
        )
        rows = [row for row in rows if row[1]]
        if not rows:
            return self.env._("No order matches these rules."), False
        teams = (
            self.env["crm.team"]
            .with_context(active_test=False)
            .browse([row[0] for row in rows if row[0]])
        )
        names = {team.id: team.display_name for team in teams}
        _ = self.env._
        lines = []
        for team_id, matched, new, count in sorted(
            rows, key=lambda row: names.get(row[0], "")
        ):
            team = names.get(team_id) or _("No sales team")
            lines.append(
                _(
                    "%(team)s: %(matched)s of %(count)s orders, %(new)s of them "
                    "newly tagged",
                    team=team,
                    matched=matched,
                    count=count,
                    new=new,
                )
                if new
                else _(
                    "%(team)s: %(matched)s of %(count)s orders",
                    team=team,
                    matched=matched,
                    count=count,
                )
            )
        linked = set(marketplace.team_ids.ids)
        warning = any(new and team_id not in linked for team_id, _m, new, _c in rows)
        return "\n".join(lines), warning

    @api.model
    def _rule_errors(self, domains, pattern):
        """Why rules are refused: not valid, or matching ordinary orders."""
        _ = self.env._
        errors = []
        for domain in domains:
            if not DOMAIN_PATTERN.fullmatch(domain):
                errors.append(
                    _(
                        "%(pattern)s is not an e-mail domain pattern: use letters, "
                        "digits, dots, hyphens and * only, with a dot, for "
                        "example marketplace.amazon.*",
                        pattern=domain,
                    )
                )
        if errors:
            return errors
        if domains:
            ordinary = self._matching_probes(
                ORDINARY_DOMAINS,
                domain_matches(SQL("probe"), SQL("%s::text[]", domains)),
            )
            if ordinary:
                errors.append(
                    _(
                        "The e-mail domain patterns would match ordinary e-mail "
                        "addresses such as …@%(domain)s: they must describe the "
                        "marketplace's own domains only.",
                        domain=ordinary[0],
                    )
                )
        if pattern:
            try:
                ordinary = self._matching_probes(
                    ORDINARY_REFERENCES, number_matches(SQL("probe"), pattern)
                )
            except psycopg2.errors.InvalidRegularExpression as error:
                errors.append(
                    _(
                        "The order number pattern %(pattern)s is not a valid "
                        "regular expression: %(error)s",
                        pattern=pattern,
                        error=error.diag.message_primary,
                    )
                )
            else:
                if "" in ordinary:
                    errors.append(
                        _(
                            "The order number pattern %(pattern)s would match "
                            "orders without a reference: it must describe the "
                            "marketplace's order numbers only.",
                            pattern=pattern,
                        )
                    )
                elif ordinary:
                    errors.append(
                        _(
                            "The order number pattern %(pattern)s would match "
                            "ordinary order references such as %(example)s: it "
                            "must describe the marketplace's order numbers only.",
                            pattern=pattern,
                            example=[o for o in ordinary if o][0],
                        )
                    )
        return errors

    @api.model
    def _matching_probes(self, probes, condition):
        """The ``probes`` for which ``condition`` (on ``probe``) holds, in a
        savepoint: a pattern PostgreSQL cannot compile raises, and leaves
        the transaction usable."""
        with self.env.cr.savepoint(flush=False):
            self.env.cr.execute(
                SQL(
                    "SELECT probe FROM unnest(%s::text[]) probe WHERE %s",
                    list(probes),
                    condition,
                )
            )
            return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _detected(self, marketplace):
        """The orders the ``marketplace``'s rules recognised, for the settings:
        ``(count, suggested teams, other teams)``. A team is suggested when
        every order of it not yet anonymized was recognised (a connector's
        team); the other teams also hold other orders (a webshop's) and are
        listed with ``(team, recognised, all)``."""
        marketplace.ensure_one()
        orders = self.env["sale.order"].sudo()
        count = orders.search_count(marketplace._recognised_domain())
        teams = self.env["crm.team"].sudo().with_context(active_test=False)
        if not count:
            return 0, teams, []
        self.env.flush_all()
        rows = self._fetch(
            SQL(
                """
            SELECT so.team_id,
                   count(*) FILTER (WHERE so.dataprotect_marketplace_id = %(mp)s
                                    AND so.dataprotect_tag_reason IN %(rules)s),
                   count(*)
            FROM sale_order so
            WHERE so.dataprotect_anonymized_at IS NULL
              AND so.team_id IN (
                SELECT r.team_id FROM sale_order r
                WHERE r.dataprotect_marketplace_id = %(mp)s
                  AND r.dataprotect_tag_reason IN %(rules)s
                  AND r.dataprotect_anonymized_at IS NULL)
              AND so.team_id NOT IN (
                SELECT team_id FROM dataprotect_marketplace_crm_team_rel)
            GROUP BY so.team_id
            ORDER BY so.team_id
            """,
                mp=marketplace.id,
                rules=RULE_REASONS,
            )
        )
        suggested = teams.browse([t for t, found, total in rows if found == total])
        others = [(teams.browse(t), found, total) for t, found, total in rows]
        return count, suggested, [o for o in others if o[1] < o[2]]

    def _fetch(self, query):
        """The rows of one of the tagger's queries, run without JIT: PostgreSQL
        estimates the rules' per-order lookups so costly that it compiles the
        query, for longer than it runs (0.5 s of 0.6 s for the matches of the
        rules at 20,000 orders)."""
        with local_settings(self.env.cr, PLAN_SETTINGS):
            self.env.cr.execute(query)
            return self.env.cr.fetchall()

    def _params(self):
        return self.env["ir.config_parameter"].sudo()
