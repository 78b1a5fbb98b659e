"""Normalise single cell values from messy delivery-plan workbooks.

Pure functions: no models, no database. Each takes whatever openpyxl gives for a cell (str, int,
float, date, datetime or None) and returns what the importer stores. See "Real workbooks are messy"
in DESIGN.md for the cases they meet.
"""

from __future__ import annotations

import calendar
import colorsys
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any


class CellError(ValueError):
    """A cell value that cannot be accepted (an error, blocks the import).

    str(e) is a plain message for an office user.
    """


# --- Text -----------------------------------------------------------------------------------------

_LOOKS_LIKE_TAG = re.compile(r"<[A-Za-z/]")
_SPACES = re.compile(r"[^\S\n]+")  # whitespace other than newlines
_BLANK_LINES = re.compile(r"\n{3,}")

# Tags that start a new line where they open and where they close.
_LINE_TAGS = frozenset(
    {"p", "div", "ul", "ol", "tr", "table", "thead", "tbody", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"blockquote", "pre", "section", "article", "header", "footer", "dl", "dt", "dd", "hr"}
)
# Tags whose content is never text for a reader.
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template", "xml"})
_BLOCK_TAG = re.compile(rf"<\s*/?\s*(?:{'|'.join(sorted(_LINE_TAGS | {'li', 'br'}))})\b", re.IGNORECASE)


class _TextParser(HTMLParser):
    """Collects the text of an HTML fragment, one line per paragraph, list item or <br>."""

    def __init__(self, *, keep_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_newlines = keep_newlines
        self.parts: list[str] = []
        self.line_has_text = False
        self.skipping = 0

    def newline(self) -> None:
        """Start a new line unless the current one is still empty."""
        if self.line_has_text:
            self.parts.append("\n")
            self.line_has_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
            self.line_has_text = False
        elif tag == "li":
            self.newline()
            self.parts.append("• ")
            self.line_has_text = True
        elif tag in _LINE_TAGS:
            self.newline()
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "li" or tag in _LINE_TAGS:
            self.newline()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.keep_newlines:
            data = data.replace("\r\n", "\n").replace("\r", "\n")
            self.parts.append(data)
            self.line_has_text = not data.endswith("\n") and bool(data.strip(" \t"))
            return
        # HTML semantics: source line breaks are spaces; a non-breaking space is deliberate text.
        data = re.sub(r"[ \t\r\n\f]+", " ", data)
        if not self.line_has_text and not data.strip(" "):
            return
        self.parts.append(data)
        self.line_has_text = True

    def text(self) -> str:
        return "".join(self.parts)


def _tidy_lines(text: str, *, collapse_spaces: bool) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    if collapse_spaces:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines))
    else:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip()


_TRAILING_SPACE = re.compile(r"[^\S\n](?:\n|$)")  # whitespace at the end of a line


def html_to_text(value: str) -> str:
    """Plain text from a cell that may hold pasted HTML: paragraphs and list items become lines."""
    if not _LOOKS_LIKE_TAG.search(value):
        if "\r" not in value and "\xa0" not in value and not _TRAILING_SPACE.search(value):
            return value.strip()  # plain text, already tidy: what _tidy_lines would give, at a fraction of the cost
        return _tidy_lines(value, collapse_spaces=False)
    # With only inline tags (<i>, <strong>, <span>) the cell's own line breaks are what the author typed.
    parser = _TextParser(keep_newlines=not _BLOCK_TAG.search(value))
    parser.feed(value)
    parser.close()
    return _tidy_lines(parser.text(), collapse_spaces=True)


def _number_text(value: float | int | Decimal) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".12g")  # 3.1 stored as 3.1000000000000001 reads "3.1"
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    return str(value)


_CLEANED: ContextVar[dict[str, str] | None] = ContextVar("cleaned_texts", default=None)
_READ: ContextVar[dict[tuple, Any] | None] = ContextVar("read_values", default=None)


@contextmanager
def cleaning_once() -> Iterator[None]:
    """Within this block each distinct text is cleaned once: the import pipeline reads the same cell
    in several stages (recognition, banners, rows), and cleaning is pure, so later calls reuse the
    first answer. So is each distinct date, owner and RAG text read once (workbooks repeat "By Oct 22",
    "Supt Paley / CI Preece", "Amber" down a column). The texts are the workbook's own, held no longer
    than the block."""
    token, read_token = _CLEANED.set({}), _READ.set({})
    try:
        yield
    finally:
        _CLEANED.reset(token)
        _READ.reset(read_token)


def _read_once(key: tuple, read: Callable[[], Any]) -> Any:
    """`read()`, remembered under `key` within `cleaning_once` (it must be pure and its answer never
    changed by the caller); read afresh outside it. An exception is never remembered."""
    cache = _READ.get()
    if cache is None:
        return read()
    found = cache.get(key, _READ)
    if found is _READ:
        found = cache[key] = read()
    return found


def clean_text(value: object) -> str:
    """The text of any cell value: numbers as written, dates as ISO, HTML as plain lines."""
    if value is None:
        return ""
    if type(value) is str:
        cache = _CLEANED.get()
        if cache is None:
            return html_to_text(value)
        text = cache.get(value)
        if text is None:
            text = cache[value] = html_to_text(value)
        return text
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return html_to_text(str(value))


# --- Dates ----------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_IN_TEXT = re.compile(
    rf"""
      (?<![\d.])(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})(?!\d)           # 2022-10-31
    | (?<![\d.])(?P<num_d>\d{{1,2}})(?P<sep>[/.-])(?P<num_m>\d{{1,2}})(?P=sep)
      (?P<num_y>\d{{4}}|\d{{2}})(?![\d/])                                                      # 31/10/22
    | (?<![\d.])(?P<dmy_d>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<dmy_m>{_MONTH})\.?,?\s+
      (?P<dmy_y>\d{{4}}|\d{{2}})(?!\d)                                                         # 31 Oct 2022
    | \b(?P<mdy_m>{_MONTH})\.?\s+(?P<mdy_d>\d{{1,2}}){_ORDINAL},?\s+(?P<mdy_y>\d{{4}})(?!\d)    # October 31, 2022
    | \b(?P<my_m>{_MONTH})\.?[\s,'’-]*(?P<my_y>\d{{4}}|\d{{2}})(?!\d|st|nd|rd|th)              # Oct 22, October 2022
    """,
    re.IGNORECASE | re.VERBOSE,
)
_START_WORD = r"start(?:s|ed|ing)?|commenc(?:e|es|ed|ing|ement)|begin(?:s|ning)?|began"
_DUE_WORD = r"by|before|until|till|due|end(?:s|ing)?|complet(?:e|ed|es|ion)|finish(?:ed|es)?|deadline"
_TIMING_WORD = re.compile(rf"\b(?:(?P<start>{_START_WORD})|(?P<due>{_DUE_WORD}))\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateText:
    start: date | None
    due: date | None
    text: str  # the cell's text, kept whatever dates were read from it


def _year(digits: str) -> int:
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _found_date(m: re.Match[str]) -> tuple[date, bool] | None:
    """The date a match names, and whether it names a whole month rather than a day."""
    g = m.groupdict()
    try:
        if g["iso_y"]:
            return date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"])), False
        if g["num_y"]:
            return date(_year(g["num_y"]), int(g["num_m"]), int(g["num_d"])), False
        if g["dmy_y"]:
            return date(_year(g["dmy_y"]), _month(g["dmy_m"]), int(g["dmy_d"])), False
        if g["mdy_y"]:
            return date(_year(g["mdy_y"]), _month(g["mdy_m"]), int(g["mdy_d"])), False
        return date(_year(g["my_y"]), _month(g["my_m"]), 1), True
    except ValueError:  # 31/02/22, year 0000
        return None


def _is_start(words_before: str) -> bool:
    """Whether the last timing word before a date says it is a start ("Start immediately BAU by" is a due date)."""
    words = list(_TIMING_WORD.finditer(words_before))
    return bool(words) and words[-1].group("start") is not None


def parse_date_text(value: object) -> DateText:
    """The start and due dates a date cell names, and its text.

    A real date is a due date. In text, a month after a start word ("Start", "Commencing") is a start
    date, the month's first day; any other month ("Dec 22", "Achieve by June 23") is a due date, the
    month's last day. An explicit day (31/10/22) is used as it is. Where a cell names several, the
    earliest start and the latest due are kept. Text naming no date ("Ongoing", "BAU") gives neither.
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return DateText(start=None, due=value, text=f"{value.day} {_MONTH_ABBR[value.month]} {value.year}")
    if type(value) is str:
        return _read_once(("date", value), lambda: _date_text(clean_text(value)))
    return _date_text(clean_text(value))


def _date_text(text: str) -> DateText:
    starts: list[date] = []
    dues: list[date] = []
    segment_from = 0
    for m in _DATE_IN_TEXT.finditer(text):
        found = _found_date(m)
        words_before = text[segment_from : m.start()]
        segment_from = m.end()
        if found is None:
            continue
        day, whole_month = found
        if _is_start(words_before):
            starts.append(day)
        else:
            dues.append(day.replace(day=calendar.monthrange(day.year, day.month)[1]) if whole_month else day)
    return DateText(start=min(starts, default=None), due=max(dues, default=None), text=text)


# --- Owners ---------------------------------------------------------------------------------------

_OWNER_SEPARATOR = re.compile(r"[/,;&\n]")


def split_owners(value: object) -> list[str]:
    """Owner names from one undelimited owner cell ("Supt Paley / CI Preece"), first spelling kept."""
    if type(value) is str:
        return list(_read_once(("owners", value), lambda: tuple(_owners(value))))
    return _owners(value)


def _owners(value: object) -> list[str]:
    owners: list[str] = []
    seen: set[str] = set()
    for part in _OWNER_SEPARATOR.split(clean_text(value)):
        name = " ".join(part.split()).lstrip("•·*–—- ").strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            owners.append(name)
    return owners


# --- RAG ------------------------------------------------------------------------------------------

_RAG_WORDS = {
    "r": ("R", False), "red": ("R", False),
    "a": ("A", False), "amber": ("A", False),
    "g": ("G", False), "green": ("G", False),
    "b": ("", True), "blue": ("", True), "complete": ("", True), "completed": ("", True),
}  # fmt: skip
_RAG_SPLIT = re.compile(r"[\s/\\|,–—-]+")
_HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}")


@dataclass(frozen=True)
class RagValue:
    rag: str  # "R", "A", "G" or "" (not rated)
    complete: bool  # True for B / Blue / Complete: shown Blue, and the status becomes complete


def _rag_from_fill(fill: str | None) -> RagValue:
    """Read a RAG rating from a fill colour alone: reds, ambers and yellows, greens, blues."""
    colour = (fill or "").strip().lstrip("#")
    if not _HEX_COLOUR.fullmatch(colour):
        return RagValue("", False)
    colour = colour[-6:]  # ARGB: drop the alpha
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(r, g, b)
    hue *= 360
    if value < 0.2 or saturation < 0.15:  # black, greys, white, the palest tints
        return RagValue("", False)
    if hue >= 330 or hue < 15:
        return RagValue("R", False)
    if hue < 75:
        return RagValue("A", False)
    if hue < 170:
        return RagValue("G", False)
    if hue < 260:
        return RagValue("", True)
    return RagValue("", False)  # purples and magentas mean nothing here


def parse_rag(value: object, fill: str | None = None) -> RagValue:
    """The RAG rating a cell shows: its text if it has any, else its fill colour; blank is not rated."""
    text = clean_text(value).strip()
    if not text:
        return _rag_from_fill(fill)
    first = next((word for word in _RAG_SPLIT.split(text.casefold()) if word), "").rstrip(".")
    if first in _RAG_WORDS:
        rag, complete = _RAG_WORDS[first]
        return RagValue(rag, complete)
    shown = text if len(text) <= 40 else text[:40].rstrip() + "…"
    raise CellError(
        f'"{shown}" is not a RAG rating; expected R, A, G or B (Red, Amber, Green, Blue/Complete), or leave it blank.'
    )


# --- Progress updates -----------------------------------------------------------------------------

_UPDATE_PREFIX = re.compile(
    r"""
    (?P<date>
        (?P<digits>\d{6}|\d{8})                                                  # 290622, 29062022
      | (?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})      # 29/06/22, 29.06.2022
    )
    (?:
        [ \t]*[–—:-][ \t]*                                                       # 290622 – text
      | (?(sep)\s+|(?!))                                                          # 29/06/22 text
      | \s*$                                                                    # a date and nothing else
    )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class UpdateText:
    on: date | None
    text: str
    warning: str = ""


def _prefix_date(m: re.Match[str]) -> date | None:
    try:
        if m.group("digits"):
            digits = m.group("digits")
            return date(_year(digits[4:]), int(digits[2:4]), int(digits[:2]))
        return date(_year(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


def split_update_prefix(value: object) -> UpdateText:
    """Split a progress update cell into the date it starts with ("290622 – text") and its text.

    An impossible date keeps the whole text and gives a warning, so nothing the author wrote is lost.
    """
    return update_prefix(clean_text(value))


def may_hold_markup(text: str) -> bool:
    """Whether a text may still hold something read as HTML. Each line of a cleaned text that cannot
    is clean already, so it need not be cleaned again."""
    return _LOOKS_LIKE_TAG.search(text) is not None


def update_prefix(text: str) -> UpdateText:
    """split_update_prefix of a text that is clean already (stripped, no markup)."""
    m = _UPDATE_PREFIX.match(text)
    if m is None:
        return UpdateText(on=None, text=text)
    on = _prefix_date(m)
    if on is None:
        return UpdateText(
            on=None,
            text=text,
            warning=f'"{m.group("date")}" at the start of the update is not a real date; '
            "the update is kept without a date.",
        )
    return UpdateText(on=on, text=text[m.end() :].strip())


# --- References -----------------------------------------------------------------------------------

_SUB_REF = re.compile(r"\(+\s*(?P<ref>(?:[A-Za-z]{1,3}\.?)?\d+(?:\.\d+)*)\.?\s*\)\s*", re.ASCII)


def split_sub_ref(value: object) -> tuple[str, str]:
    """The sub-reference a supporting activity starts with ("(A1.2) Conduct a review"), and its text."""
    text = clean_text(value)
    m = _SUB_REF.match(text)
    if m is None:
        return "", text
    return m.group("ref"), text[m.end() :].strip()


def clean_ref(value: object) -> str:
    """A commitment's reference as the office writes it: 3.1 (not 3.1000000000000001), 17 (not 17.0), A.1."""
    ref = " ".join(clean_text(value).split())
    while ref and ref[-1] in ".:":
        ref = ref[:-1].rstrip()
    return ref


def ref_text(value: object, number_format: str | None = None) -> str:
    """A reference as written, using the cell's number format where Excel stored a number: "3.10" typed
    into a cell formatted "0.00" is the float 3.1, and is still "3.10"."""
    if isinstance(value, float) and number_format:
        m = re.fullmatch(r"[#0,]*\.(0+)", number_format.split(";")[0].strip())
        if m:
            return clean_ref(f"{value:.{len(m.group(1))}f}")
    return clean_ref(value)


# --- RAG and status values beyond the letters -------------------------------------------------------

# Words offices use for a rating, mapped to the plan's RAG (and, for some, a status).
RAG_VALUE_TABLE: dict[str, tuple[str, bool]] = {
    "on track": ("G", False),
    "on target": ("G", False),
    "achieved": ("", True),
    "at risk": ("A", False),
    "slipping": ("A", False),
    "delayed": ("A", False),
    "behind": ("A", False),
    "off track": ("R", False),
    "not on track": ("R", False),
    "not achieved": ("R", False),
    "done": ("", True),
    "not rated": ("", False),
    "n/a": ("", False),
    "not started": ("", False),
    "in progress": ("", False),
}
# Five-level scales take the worse of their two colours.
FIVE_LEVEL: dict[str, str] = {
    "amber/red": "R",
    "red/amber": "R",
    "ar": "R",
    "ra": "R",
    "amber/green": "A",
    "green/amber": "A",
    "ag": "A",
    "ga": "A",
}
FIVE_LEVEL_RULE = (
    "Five-level ratings are mapped to the worse of their two colours: Red → Red, Amber/Red → Red, "
    "Amber → Amber, Amber/Green → Amber, Green → Green."
)
STATUS_VALUE_TABLE: dict[str, str] = {
    "not started": "not_started",
    "not yet started": "not_started",
    "planned": "not_started",
    "in progress": "in_progress",
    "ongoing": "in_progress",
    "underway": "in_progress",
    "started": "in_progress",
    "on track": "in_progress",
    "at risk": "in_progress",
    "off track": "in_progress",
    "delayed": "in_progress",
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
    "achieved": "complete",
    "on hold": "on_hold",
    "paused": "on_hold",
    "closed": "closed",
    "cancelled": "closed",
    "withdrawn": "closed",
}
_VALUE_SEP = re.compile(r"\s*[/\\|–—-]\s*")


def value_key(value: object) -> str:
    """A RAG or status value as mappings match it: case, spacing and the kind of slash do not count
    ("Amber - Red", "amber/red" and "AMBER / RED" are one value)."""
    text = clean_text(value).casefold().strip().rstrip(".")
    text = _VALUE_SEP.sub("/", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class RagReading:
    rag: str  # "R", "A", "G" or ""
    complete: bool
    written: str  # the value as written ("" for a fill or blank)
    mapped: str = ""  # how a value that is not a plain rating was read, e.g. "five-level" or "table"


class UnknownValue(CellError):
    """A RAG or status value the importer does not know: listed for the person importing to map."""

    def __init__(self, message: str, *, kind: str, value: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.value = value


def rag_word(text: str, mapping: dict[str, str] | None = None) -> RagReading | None:
    """The rating a text names, or None when it names none: a saved mapping first, then R/A/G/B and
    their words, the table of office words ("On track"), five-level values ("Amber/Green"), and
    finally a first word that is a rating ("Green - on schedule")."""
    key = value_key(text)
    if not key:
        return RagReading("", False, "")
    if mapping and key in mapping:
        code = mapping[key]
        return RagReading("" if code == "B" else code, code == "B", text, "profile")
    if key in _RAG_WORDS:
        rag, complete = _RAG_WORDS[key]
        return RagReading(rag, complete, text)
    if key in RAG_VALUE_TABLE:
        rag, complete = RAG_VALUE_TABLE[key]
        return RagReading(rag, complete, text, "table")
    if key in FIVE_LEVEL:
        return RagReading(FIVE_LEVEL[key], False, text, "five-level")
    first = next((word for word in _RAG_SPLIT.split(key) if word), "").rstrip(".")
    if first in _RAG_WORDS and first not in ("b", "a"):
        rag, complete = _RAG_WORDS[first]
        return RagReading(rag, complete, text)
    return None


def read_rag(value: object, fill: str | None = None, mapping: dict[str, str] | None = None) -> RagReading:
    """The rating a cell shows, knowing more words than `parse_rag`: its text if it has any (through a
    saved mapping, the built-in table and the five-level rule), else its fill. A value it does not know
    raises UnknownValue, never dropped silently."""
    if not mapping and (value is None or type(value) is str):
        return _read_once(("rag", value, fill), lambda: _read_rag(value, fill, None))
    return _read_rag(value, fill, mapping)


def _read_rag(value: object, fill: str | None, mapping: dict[str, str] | None) -> RagReading:
    text = clean_text(value).strip()
    if not text:
        reading = _rag_from_fill(fill)
        return RagReading(reading.rag, reading.complete, "")
    found = rag_word(text, mapping)
    if found is None:
        shown = text if len(text) <= 40 else text[:40].rstrip() + "…"
        raise UnknownValue(
            f'"{shown}" is not a RAG rating this importer knows; expected R, A, G or B (Red, Amber, Green, '
            "Blue/Complete), On track, At risk, Off track or a five-level value. Map it in the preview, "
            "or correct the cell.",
            kind="rag",
            value=text,
        )
    return found


def status_word(text: str, mapping: dict[str, str] | None = None) -> str | None:
    """The status a text names (a saved mapping first, then the built-in table), or None."""
    key = value_key(text)
    if mapping and key in mapping:
        return mapping[key]
    return STATUS_VALUE_TABLE.get(key)
