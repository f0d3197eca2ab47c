# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Finding and replacing a person's known values in stored texts.

The ``Scrubber`` is given the values the registry declares ``known`` (a
partner's name, address, e-mail, phone, ...) and the placeholder; it then
clears columns and replaces those values in text columns of any table, one
read and one write per table. How it matches is told in its docstring.
"""

import html
import re

from markupsafe import escape

from odoo.tools import SQL

from .tools import read_columns
from .writer import update_rows

# Values shorter than this are not searched for in texts: they would match
# ordinary words.
MIN_VALUE_LENGTH = 3


def trie_pattern(words):
    """One regular expression matching any of the words (compared
    case-insensitively), as whole words where they begin or end with a letter
    or digit. Shaped as a trie (common prefixes shared), so that matching
    costs about one step per character, however many words there are."""
    trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def render(node, last):
        parts = [
            re.escape(char) + render(child, char)
            for char, child in sorted(node.items())
            if char
        ]
        if "" in node:
            parts.append(r"\b" if last.isalnum() else "")
        if len(parts) == 1:
            return parts[0]
        return "(?:" + "|".join(parts) + ")"

    branches = []
    for bounded in (True, False):
        sub = {c: n for c, n in trie.items() if c and c.isalnum() == bounded}
        if sub:
            branches.append((r"\b" if bounded else "") + render(sub, ""))
    return re.compile("|".join(branches), re.IGNORECASE) if branches else None


class Scrubber:
    """Replaces known personal values in text columns.

    The values are matched literally, both as typed and HTML-escaped; the
    placeholder replaces them, HTML-escaped in HTML columns, so it is never
    rendered. Values up to LONG_VALUE characters are matched case-insensitively
    and as whole words; longer ones exactly as they are. Columns are cleared
    with one UPDATE per table; texts are read, replaced in Python and written
    back with one UPDATE per table.

    Matching goes token by token (a token is a run of word characters, or one
    other character): a value can only match from the start of a token to the
    end of one, so at each token that begins some value, the spans of as many
    tokens as those values have are looked up in a set. That costs a few set
    lookups per token, and nothing has to be compiled per batch."""

    LONG_VALUE = 200
    TOKEN = re.compile(r"\w+|[^\w\s]")

    def __init__(self, env, values, placeholder):
        self.env = env
        self.placeholder = placeholder
        variants = set()
        for value in values:
            value = value.strip()
            if len(value) >= MIN_VALUE_LENGTH:
                # as typed, and HTML-escaped the ways Odoo and markupsafe do it
                variants.update(
                    {
                        value,
                        str(escape(value)),
                        html.escape(value, quote=False),
                        html.escape(value),
                    }
                )
        self.literals = sorted(
            (v for v in variants if len(v) > self.LONG_VALUE), key=len, reverse=True
        )
        self.words = {v.lower() for v in variants if len(v) <= self.LONG_VALUE}
        # first token -> the numbers of tokens of the values starting with it,
        # most first (the longest match wins)
        counts = {}
        for word in self.words:
            tokens = self.TOKEN.findall(word)
            counts.setdefault(tokens[0], set()).add(len(tokens))
        self.counts = {token: sorted(n, reverse=True) for token, n in counts.items()}
        self._pattern = None

    def __bool__(self):
        return bool(self.words or self.literals)

    def _replace_text(self, text, is_html):
        """The text with every value replaced by the placeholder."""
        if not text:
            return text
        placeholder = str(escape(self.placeholder)) if is_html else self.placeholder
        for literal in self.literals:
            text = text.replace(literal, placeholder)
        return self._replace_words(text, placeholder) if self.words else text

    def _replace_words(self, text, placeholder):
        lower = text.lower()
        if len(lower) != len(text):
            # lower-casing changed the length (a few letters do): the positions
            # below would not fit, use a regular expression instead
            if self._pattern is None:
                self._pattern = trie_pattern(self.words)
            return self._pattern.sub(lambda _match: placeholder, text)
        words = self.TOKEN.findall(lower)
        # most texts have no token that begins some value (checked in C)
        if self.counts.keys().isdisjoint(words):
            return text
        hits = [i for i, word in enumerate(words) if word in self.counts]
        spans = [match.span() for match in self.TOKEN.finditer(lower)]
        parts = []
        last = 0
        for i in hits:
            start = spans[i][0]
            if start < last:
                continue
            for count in self.counts[words[i]]:
                if i + count > len(spans):
                    continue
                end = spans[i + count - 1][1]
                if lower[start:end] in self.words:
                    parts += (text[last:start], placeholder)
                    last = end
                    break
        if not parts:
            return text
        parts.append(text[last:])
        return "".join(parts)

    def _changed_rows(self, records, fnames, html):
        """(id, new texts) of the rows whose texts hold one of the values."""
        changed = []
        is_html = [f in html for f in fnames]
        for row in read_columns(records, fnames):
            texts = [
                self._replace_text(t, h) for t, h in zip(row[1:], is_html, strict=True)
            ]
            if texts != list(row[1:]):
                changed.append((row[0], *texts))
        return changed

    def update(self, records, clear=(), replace=(), html=()):
        """Clear the ``clear`` columns of the records and replace the values
        in their ``replace`` columns (``html``: those that hold HTML); return
        how many rows changed."""
        if not records:
            return 0
        replace = list(replace) if self else []
        changed_ids = set()
        if clear:
            records.flush_recordset(clear)
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE id = ANY(%s) AND (%s) RETURNING id",
                    SQL.identifier(records._table),
                    SQL(", ").join(SQL("%s = NULL", SQL.identifier(f)) for f in clear),
                    records.ids,
                    SQL(" OR ").join(
                        SQL("%s IS NOT NULL", SQL.identifier(f)) for f in clear
                    ),
                )
            )
            changed_ids.update(row[0] for row in self.env.cr.fetchall())
        rows = self._changed_rows(records, replace, html) if replace else []
        if rows:
            update_rows(
                self.env.cr, records, [records._fields[f] for f in replace], rows
            )
            changed_ids.update(row[0] for row in rows)
        records.invalidate_model([*clear, *replace])
        return len(changed_ids)

    def count(self, records, fnames, html=()):
        """How many of the records still hold one of the values in ``fnames``
        (where they may not be changed)."""
        if not records or not self or not fnames:
            return 0
        return len(self._changed_rows(records, fnames, html))
