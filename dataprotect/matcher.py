# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Finding a person's values in text as people, editors and mail clients
write it, plain Python.

Text and values are compared *folded*: Unicode case folding, compatibility
decomposition (NFKD: full-width letters, ligatures, a decomposed or composed
letter alike) with the accents and other combining marks dropped (``Öztürk``
matches ``Ozturk``, ``İbrahim`` matches ``Ibrahim``, ``Yılmaz`` matches
``YILMAZ``; ``ß`` matches ``ss``), zero-width characters and soft hyphens
dropped, and every run of white space one space. In HTML, a tag that breaks
the text counts as white space (``Erika<br>Muster``, two table cells), one
that does not as nothing (``Groß<wbr>straße``, ``<b>Erika</b>&nbsp;Muster``),
the quoted values of its attributes as text apart (a ``mailto:`` link), and
entities as the characters they stand for; anywhere, the URL escapes of an
e-mail address (``%40``, ``%2B``) as theirs. ``Folded`` keeps, for each
folded character, the span of the original text it comes from, so that a
match is replaced in the original text with its markup kept.
"""

import html
import re
import sys
import unicodedata
from bisect import bisect_right

# dropped before comparing: combining marks (accents), zero-width characters,
# the soft hyphen
_DROP = dict.fromkeys(
    cp
    for cp in range(sys.maxunicode + 1)
    if unicodedata.combining(chr(cp)) or unicodedata.category(chr(cp)) == "Mn"
)
_DROP.update(dict.fromkeys((0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)))
# the Turkish dotless i folds to itself; compared as an i (YILMAZ, Yılmaz)
_DROP[0x0131] = "i"
_SPACE = re.compile(r"\s+")
# URL escapes that occur in e-mail addresses
_URL_ESCAPES = {"%40": "@", "%2b": "+", "%2e": ".", "%2d": "-", "%5f": "_"}
_URL_ESCAPE = re.compile("|".join(_URL_ESCAPES), re.IGNORECASE)
# in HTML: a run of text (words and the single spaces between them, which fold
# to themselves), white space, a tag, an entity, a URL escape or one character
_HTML_PIECE = re.compile(
    r"([^<&%\s]+(?: [^<&%\s]+)*)|(\s+)|(<[^>]*>)|(&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);)"
    r"|(%[0-9a-fA-F]{2})|(.)",
    re.DOTALL,
)
# in an ASCII plain text, what does not fold to one character each: a URL
# escape, white space other than one space
_NOT_LINEAR = re.compile(r"%[0-9a-fA-F]{2}|[^\S ]|  ")
_TEXT_PIECE = re.compile(
    r"([^%\s]+(?: [^%\s]+)*)|(\s+)|()()(%[0-9a-fA-F]{2})|(.)", re.DOTALL
)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
_ATTRIBUTE_VALUE = re.compile(r'"([^"]*)"|\'([^\']*)\'')
# tags that do not break the text they are in
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span "
    "strong sub sup time u var wbr".split()
)
# an inline tag without attributes
_INLINE_TAG = re.compile(
    r"</?(?:{})\s*/?>".format("|".join(sorted(INLINE_TAGS))), re.IGNORECASE
)


def fold(text):
    """The text folded (see the module's docstring), without the mapping."""
    if text.isascii():
        return _SPACE.sub(" ", text.lower())
    folded = unicodedata.normalize("NFKD", text.casefold()).translate(_DROP)
    return _SPACE.sub(" ", folded)


def fold_markup(text, is_html):
    """``fold`` of a text as it is stored (entities and URL escapes decoded,
    tags left in), but for its white space: the quick test of whether a text
    may hold a value at all."""
    if is_html and "<" in text:
        text = _INLINE_TAG.sub("", text)
    if is_html and "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = _URL_ESCAPE.sub(lambda m: _URL_ESCAPES[m.group().lower()], text)
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_DROP)


_CHARS = {}


def _fold_char(char):
    folded = _CHARS.get(char)
    if folded is None:
        folded = _CHARS[char] = fold(char)
    return folded


class Folded:
    """A text folded piece by piece: ``text``, the folded text; ``span(i)``,
    the span of the original that folded character ``i`` comes from;
    ``tags``, the spans of the original's HTML markup. The quoted values of
    a tag's attributes (a ``mailto:`` link) are text.

    Runs of plain ASCII characters fold to as many characters (lower case):
    they are mapped as a whole; other pieces character by character."""

    def __init__(self, original, is_html):
        self.original = original
        self.parts = []
        self.length = 0
        # per segment: its first folded index, its span in the original, and
        # whether it maps character to character (else as a whole)
        self.starts, self.segments = [], []
        self.tags = []
        if not is_html and original.isascii() and not _NOT_LINEAR.search(original):
            # folds character for character (most plain texts): one segment
            self._add(original.lower(), (0, len(original)), linear=True)
        else:
            for match in (_HTML_PIECE if is_html else _TEXT_PIECE).finditer(original):
                self._add_piece(match, match.start(), is_html)
        self.text = "".join(self.parts)

    def _add_piece(self, match, offset, is_html):
        run, space, tag, entity, escape, char = match.groups()
        span = (offset, offset + match.end() - match.start())
        if run:
            if run.isascii():
                self._add(run.lower(), span, linear=True)
            else:
                for i, each in enumerate(run):
                    self._add(_fold_char(each), (span[0] + i, span[0] + i + 1))
        elif space:
            self._add(" ", span)
        elif tag:
            self._add_tag(tag, offset)
        elif entity:
            self._add(fold(html.unescape(entity)), span)
        elif escape:
            self._add(fold(_URL_ESCAPES.get(escape.lower(), escape)), span)
        else:
            self._add(_fold_char(char), span)

    def _add(self, folded, span, linear=False):
        if not folded:
            return
        if folded == " ":
            if self.parts and self.parts[-1].endswith(" "):
                # one space for a run of white space and tags
                start, _end, flag = self.segments[-1]
                if not flag:
                    self.segments[-1] = (start, span[1], flag)
                return
        elif folded[0] == " " and self.parts and self.parts[-1].endswith(" "):
            folded = folded[1:]
        self.starts.append(self.length)
        self.segments.append((span[0], span[1], linear))
        self.parts.append(folded)
        self.length += len(folded)

    def _add_tag(self, tag, start):
        """A tag: white space where it breaks the text (a paragraph, a line
        break, a table cell), nothing where it does not (bold, a link); its
        attributes' quoted values are text, apart from the rest."""
        name = _TAG_NAME.match(tag)
        inline = name and name.group(1).lower() in INLINE_TAGS
        values = (
            list(_ATTRIBUTE_VALUE.finditer(tag)) if '"' in tag or "'" in tag else ()
        )
        separator = "" if inline and not values else " "
        last = 0
        for value in values:
            self._add_markup(start + last, start + value.start(), separator)
            offset = start + value.start() + 1
            for piece in _TEXT_PIECE.finditer(value.group(1) or value.group(2) or ""):
                self._add_piece(piece, offset + piece.start(), False)
            last = value.end()
        self._add_markup(start + last, start + len(tag), separator)

    def _add_markup(self, start, end, separator):
        if start < end:
            self.tags.append((start, end))
            self._add(separator, (start, end))

    def span(self, index):
        """The span of the original that folded character ``index`` comes
        from."""
        segment = bisect_right(self.starts, index) - 1
        start, end, linear = self.segments[segment]
        if linear:
            start += index - self.starts[segment]
            return start, start + 1
        return start, end

    def replace(self, matches, placeholder):
        """The original text with each folded span of ``matches`` (in order,
        not overlapping) replaced by the placeholder; the HTML tags inside a
        match are kept, after the placeholder, so that the markup stays
        whole."""
        parts = []
        last = 0
        tags = iter(self.tags)
        tag = next(tags, None)
        for start, end in matches:
            begin, finish = self.span(start)[0], self.span(end - 1)[1]
            parts += (self.original[last:begin], placeholder)
            while tag and tag[0] < finish:
                if tag[0] >= begin:
                    parts.append(self.original[tag[0] : tag[1]])
                tag = next(tags, None)
            last = finish
        parts.append(self.original[last:])
        return "".join(parts)


# Phone numbers, compared by their national number: the digits after the
# country calling code (``+49``, ``0049``) or the national trunk prefix (``0``),
# whatever separators they are written with (``+49 (0)157 304 588-17``,
# ``0157/30458817``). ITU calling codes: 1 and 7 are one digit, these two,
# every other three.
_CALLING_CODES_2 = frozenset(
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 "
    "58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98".split()
)
# a phone number as a value: only digits and the usual separators
PHONE_VALUE = re.compile(r"\+?[\d\s\-/.()]+")
# a phone number in a text (the same, not inside a longer run of word
# characters, ``+`` or digits)
PHONE_IN_TEXT = re.compile(r"(?<![\w+])[+(]?\d[\d \t\-/.()\u00a0]{4,}\d(?!\w)")
MIN_PHONE_DIGITS = 6
# deleted from a phone number as written to get its digits (``str.translate``)
PHONE_SEPARATORS = str.maketrans("", "", " \t-/.()\u00a0+")


def phone_key(text):
    """The national number of a phone number as written, or None where it
    has too few digits to be one."""
    text = text.replace("(0)", "")
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    else:
        international = None
        national = digits[1:] if digits.startswith("0") else digits
    if international is not None:
        if international[:1] in ("1", "7"):
            national = international[1:]
        elif international[:2] in _CALLING_CODES_2:
            national = international[2:]
        else:
            national = international[3:]
    return national if len(national) >= MIN_PHONE_DIGITS else None
