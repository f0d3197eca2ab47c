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

from .matcher import (
    PHONE_IN_TEXT,
    PHONE_SEPARATORS,
    PHONE_VALUE,
    Folded,
    fold,
    fold_markup,
    phone_key,
)
from .tools import id_array, read_columns
from .writer import update_rows

# Values shorter than this are not searched for in texts: they would match
# ordinary words.
MIN_VALUE_LENGTH = 3
# A part of a name is looked for alone only after a salutation that names a
# person by it (folded): a surname that is also a word (Koch, Weber) is
# replaced in "Herr Koch", kept in "der Koch".
MIN_NAME_PART_LENGTH = 3
EMAIL_SEPARATORS = re.compile(r"[,;\s]+")
SURNAME_SALUTATIONS = (
    "herr",
    "herrn",
    "frau",
    "familie",
    "geehrte/r",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dear",
)
FIRST_NAME_SALUTATIONS = ("hallo", "hi", "hey", "liebe", "lieber", "dear")
# German umlauts, and how they are written out where a keyboard or a system
# lacks them; in a folded text, ae, oe and ue where they may stand for one
# (not in "qu", nor in a word ending in "el": Michael, Manuel, Noel)
UMLAUT = re.compile("[äöüÄÖÜ]")
UMLAUTS_SPELLED = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
SPELLED_UMLAUT = re.compile(r"(?<!q)([aou])e(?!l\b)")


class Scrubber:
    """Replaces known personal values in text columns.

    Values up to LONG_VALUE characters are matched as whole words in the
    text folded as ``matcher`` tells (case, accents, Unicode forms, white
    space, HTML tags and entities between the words, URL escapes); a
    person's name of two to four words also in the order Outlook writes it
    (``Last, First``), and its surname or first name alone after a
    salutation that names a person by it (``Herr Yılmaz``, ``Sehr geehrte/r
    Yılmaz``, ``Hallo İlkay``; the salutation stays); a street also
    abbreviated (``Musterstr. 17`` for ``Musterstraße 17``). Phone numbers
    are also matched by their national number, however they are written
    (``matcher.phone_key``). The match is replaced by the placeholder in the
    original text, HTML-escaped in HTML columns so that it is never
    rendered, with the tags inside the match kept. Longer values are
    matched exactly as they are, and HTML-escaped. Columns are cleared with
    one UPDATE per table; texts are read, replaced in Python and written
    back with one UPDATE per table.

    Matching goes token by token (a token is a run of word characters, or
    one other character): a value can only match from the start of a token
    to the end of one, so at each token that begins some value, the spans
    of as many tokens as those values have are looked up in a set. Most
    texts hold no token that begins a value, or no value's longest token:
    that is tested first, on the text folded at once (in C); only the others
    are folded character by character, with the mapping back to the
    original."""

    LONG_VALUE = 200
    TOKEN = re.compile(r"\w+|[^\w\s]")
    # a person's name: two to four words of letters (and hyphens)
    NAME = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?: [^\W\d_]+(?:-[^\W\d_]+)*){1,3}")

    def __init__(self, env, values, placeholder):
        self.env = env
        self.placeholder = placeholder
        # as it goes into a plain text and into HTML (escaped once here)
        self.placeholders = {False: placeholder, True: str(escape(placeholder))}
        literals = set()
        words = set()
        phones = set()
        kept = {}
        # a field may hold several e-mail addresses (``a@x.de, b@y.de``):
        # each is looked for alone too; each value once (a third of a
        # batch's are repeats: a buyer's name on the partner, its delivery
        # address and the order)
        values = {
            value.strip()
            for value in (
                *values,
                *(
                    address
                    for value in values
                    if "@" in value
                    for address in EMAIL_SEPARATORS.split(value)
                    if "@" in address
                ),
            )
        }
        for value in values:
            if len(value) > self.LONG_VALUE:
                # as typed, and HTML-escaped the ways Odoo and markupsafe do it
                literals.update(
                    {
                        value,
                        str(escape(value)),
                        html.escape(value, quote=False),
                        html.escape(value),
                    }
                )
                continue
            if PHONE_VALUE.fullmatch(value) and (key := phone_key(value)):
                phones.add(key)
            for folded in self._spellings(value):
                if len(folded) >= MIN_VALUE_LENGTH:
                    self._add_word(folded, words, kept)
        self.literals = sorted(literals, key=len, reverse=True)
        self.phones = phones
        # their last six digits: most numbers in texts (order numbers, dates)
        # are told apart by them alone
        self.phone_tails = {phone[-6:] for phone in phones}
        self.words = words
        # {value: length of the salutation kept at its start}
        self.kept = kept
        # first token -> the numbers of tokens of the values starting with it,
        # most first (the longest match wins)
        counts = {}
        # of each value, its longest token (the last of the longest: a
        # surname rather than a first name): a text must hold one of them,
        # and a first token, to hold a value (a product named like a buyer's
        # first name is passed over)
        self.keys = set()
        for word in self.words:
            tokens = self.TOKEN.findall(word)
            counts.setdefault(tokens[0], set()).add(len(tokens))
            self.keys.add(max(reversed(tokens), key=len))
        self.counts = {token: sorted(n, reverse=True) for token, n in counts.items()}

    @staticmethod
    def _spellings(value):
        """The value folded, and as it is spelled with the German umlauts
        written out (``Müller``, ``Mueller``) or written out in the value and
        typed in the text (``Mueller``, ``Müller``)."""
        folded = fold(value).strip()
        spellings = {folded}
        if not value.isascii() and UMLAUT.search(value):
            spellings.add(fold(value.translate(UMLAUTS_SPELLED)).strip())
        if "e" in folded and SPELLED_UMLAUT.search(folded):
            spellings.add(SPELLED_UMLAUT.sub(r"\1", folded))
        return spellings

    def _add_word(self, folded, words, kept):
        """Add a folded value to the words looked for, with its other forms:
        a street abbreviated, a name in Outlook's order and its parts after
        a salutation (``kept``: the salutation's length, kept at the start of
        the match)."""
        words.add(folded)
        if "strasse" in folded:
            # a street as it is abbreviated (Musterstr. 17)
            words.update(folded.replace("strasse", short) for short in ("str.", "str"))
        if self.NAME.fullmatch(folded):
            first, last = folded.rsplit(" ", 1)
            words.add(f"{last}, {first}")
            # a part alone, where a salutation names the person by it (the
            # salutation stays)
            for part, salutations in (
                (last, SURNAME_SALUTATIONS),
                (first.split(" ")[0], FIRST_NAME_SALUTATIONS),
            ):
                if len(part) >= MIN_NAME_PART_LENGTH:
                    for salutation in salutations:
                        words.add(f"{salutation} {part}")
                        kept[f"{salutation} {part}"] = len(salutation) + 1

    def __bool__(self):
        return bool(self.words or self.literals or self.phones)

    def _replace_text(self, text, is_html):
        """The text with every value replaced by the placeholder."""
        if not text:
            return text
        placeholder = self.placeholders[is_html]
        for literal in self.literals:
            text = text.replace(literal, placeholder)
        if self.phones:
            text = self._replace_phones(text, placeholder)
        if not self.words:
            return text
        # most texts hold no token that begins a value, or no value's
        # longest token (checked in C)
        tokens = self.TOKEN.findall(fold_markup(text, is_html))
        if self.counts.keys().isdisjoint(tokens) or self.keys.isdisjoint(tokens):
            return text
        folded = Folded(text, is_html)
        matches = self._matches(folded.text)
        return folded.replace(matches, placeholder) if matches else text

    def _replace_phones(self, text, placeholder):
        """The text with the phone numbers that are the people's replaced."""
        # most texts hold no number ending like one of the people's (in C)
        if not any(
            number.translate(PHONE_SEPARATORS)[-6:] in self.phone_tails
            for number in PHONE_IN_TEXT.findall(text)
        ):
            return text
        matches = [
            match.span()
            for match in PHONE_IN_TEXT.finditer(text)
            if phone_key(match.group()) in self.phones
        ]
        if not matches:
            return text
        parts = []
        last = 0
        for start, end in matches:
            parts += (text[last:start], placeholder)
            last = end
        parts.append(text[last:])
        return "".join(parts)

    def _matches(self, text):
        """The spans of the values in the folded text, in order."""
        spans = [match.span() for match in self.TOKEN.finditer(text)]
        words = [text[start:end] for start, end in spans]
        matches = []
        last = 0
        for i, word in enumerate(words):
            if word not in self.counts or spans[i][0] < last:
                continue
            start = spans[i][0]
            for count in self.counts[word]:
                if i + count > len(spans):
                    continue
                end = spans[i + count - 1][1]
                if text[start:end] in self.words:
                    matches.append((start + self.kept.get(text[start:end], 0), end))
                    last = end
                    break
        return matches

    def _changed_rows(self, records, fnames, html):
        """(id, new texts) of the rows whose texts hold one of the values."""
        changed = []
        is_html = [f in html for f in fnames]
        # a text is replaced once: many rows repeat one (a sender's address,
        # the record's name on each of its messages, a product's line text)
        replaced = {}
        for row in read_columns(records, fnames):
            texts = []
            for text, is_html_ in zip(row[1:], is_html, strict=True):
                key = (text, is_html_)
                if key not in replaced:
                    replaced[key] = self._replace_text(text, is_html_)
                texts.append(replaced[key])
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
                    id_array(records.ids),
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
