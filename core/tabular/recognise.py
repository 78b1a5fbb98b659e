"""Recognising a table's columns by evidence, for any importer: the words of each header cell and the
values under it. No models, no database.

An importer describes its fields (`FieldSpec`: synonyms for its header, and the kind of value it
holds). `find_columns` looks for the header row in the first rows of a sheet, scores every column
against every field, and picks the best consistent assignment (one field per column, one column per
field). Header words come first: extra words, brackets, dates and qualifiers ("Key", "Current",
"– Q3 2023/24", "(s)", "/ milestone") do not stop a match. Values decide between fields that share
a word ("Status" is a RAG column when it holds R/A/G or fills) and give a field to a column that has
no header text. A saved mapping (header text -> field) always wins over the guess.

The result says what it is unsure of (a required field with no column, two columns competing for
one field) so the importer can ask the person importing to map the columns, once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from openpyxl.utils import get_column_letter

from . import cells
from .workbook import Cell, Sheet

__all__ = [
    "DO_NOT_IMPORT",
    "ColumnGuess",
    "FieldSpec",
    "Recognition",
    "column_key",
    "find_columns",
    "header_fields_scored",
    "header_signature",
    "header_words",
    "score_header",
    "sheet_grid",
    "value_score",
]

DO_NOT_IMPORT = ""  # a mapping's field for a column that is not imported
HEADER_ROWS_WITHIN = 60
SAMPLE_ROWS = 200  # data rows looked at for value evidence
VALUE_WEIGHT = 0.6
CLOSE = 0.25  # two columns whose scores for one field are this close compete for it

# Words that qualify a header without naming a field: "Key recommendation", "Current RAG",
# "Update – Q3 2023/24", "Latest position (July)".
QUALIFIERS = frozenset(
    """key current latest overall main the of and or a an for in on at to by this last new our
    q q1 q2 q3 q4 quarter quarterly month monthly year annual fy s""".split()
)
_MONTH_WORDS = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september "
    "oct october nov november dec december".split()
)
_WORD = re.compile(r"#|[a-z]+")
_NOT_PLURAL = ("ss", "us", "is")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL):
        return word[:-1]
    return word


def header_words(value: object) -> list[str]:
    """The words of a header cell that can name a field: lower case, singular, without dates, years,
    quarters or qualifiers. "Action(s) / milestone" -> ["action", "milestone"];
    "Update – Q3 2023/24" -> ["update"]; "Lead (officer)" -> ["lead", "officer"]."""
    return list(_words(value if isinstance(value, str) else cells.clean_text(value)))


@lru_cache(maxsize=4096)
def _words(raw: str) -> tuple[str, ...]:
    text = cells.clean_text(raw).lower().replace("(s)", "s").replace("/s", "s").replace("’", "'")
    return tuple(_singular(w) for w in _WORD.findall(text) if w not in QUALIFIERS and w not in _MONTH_WORDS)


@dataclass(frozen=True)
class FieldSpec:
    """One field an importer reads: its synonyms (phrases, matched as words) and its kind of value.

    `values` is one of "ref", "text" (long text), "update" (long text, often dated), "names" (short
    name-like text), "date", "rag", "status", "number", "any". `weak_words` count only when the values
    agree ("Status" is a RAG column only when it holds ratings)."""

    name: str
    words: tuple[str, ...]
    values: str = "any"
    label: str = ""
    weak_words: tuple[str, ...] = ()

    @cached_property
    def phrases(self) -> list[tuple[list[str], bool]]:
        return [(header_words(w) or [w], False) for w in self.words] + [
            (header_words(w) or [w], True) for w in self.weak_words
        ]


def _contains(words: list[str], phrase: list[str]) -> int | None:
    """The index of the last word of `phrase` in `words` if it appears there in order, else None."""
    n = len(phrase)
    for i in range(len(words) - n, -1, -1):
        if words[i : i + n] == phrase:
            return i + n - 1
    return None


def score_header(value: object, spec: FieldSpec) -> tuple[float, bool]:
    """How well a header cell's words name a field (0 when they do not), and whether only a weak word
    matched. More matched words score higher; a tie goes to the word nearer the end (the head noun of
    "Action owner" is "owner")."""
    words = header_words(value)
    if not words:
        return 0.0, False
    return _score(tuple(words), spec)


@lru_cache(maxsize=16384)
def _score(words: tuple[str, ...], spec: FieldSpec) -> tuple[float, bool]:
    words = list(words)
    best, weak = 0.0, False
    for phrase, is_weak in spec.phrases:
        at = _contains(words, phrase)
        if at is None:
            continue
        score = 1 + 0.5 * (len(phrase) - 1) + 0.3 * len(phrase) / len(words) + 0.1 * (at + 1) / len(words)
        if score > best:
            best, weak = score, is_weak
    return best, weak


# --- Values -------------------------------------------------------------------------------------

_DATE_WORDS = re.compile(r"^(ongoing|bau|tbc|tbd|n/?a|complete[d]?|quarterly|monthly|annually|immediate(ly)?)\b", re.I)


def _is_date_like(value: object) -> bool:
    from datetime import date

    if isinstance(value, date):
        return True
    text = cells.clean_text(value)
    if not text or len(text) > 60:
        return False
    parsed = cells.parse_date_text(text)
    return bool(parsed.start or parsed.due or _DATE_WORDS.match(text))


def _is_rag_like(cell: Cell) -> bool:
    text = cells.clean_text(cell.value)
    if not text:
        reading = cells.read_rag(None, cell.fill)
        return bool(reading.rag or reading.complete)
    reading = cells.rag_word(text)
    return reading is not None and bool(reading.rag or reading.complete or not reading.mapped)


def value_score(kind: str, column: list[Cell]) -> float:
    """How well a column's values fit a kind of value, 0 to 1; 0.5 (no evidence) for an empty column."""
    filled = [c for c in column if c.value not in (None, "") or (kind in ("rag", "status") and c.fill)]
    if not filled:
        return 0.5
    texts = [cells.clean_text(c.value) for c in filled]
    n = len(filled)
    if kind == "any":
        return 0.5
    if kind == "rag":
        return sum(1 for c in filled if _is_rag_like(c)) / n
    if kind == "status":
        return sum(1 for t in texts if t and cells.status_word(t) is not None) / n
    if kind == "date":
        return sum(1 for c in filled if _is_date_like(c.value)) / n
    if kind == "ref":
        ok = sum(1 for c, t in zip(filled, texts, strict=True) if isinstance(c.value, int | float) or _REF.match(t))
        return ok / n
    if kind == "number":
        return sum(1 for c in filled if isinstance(c.value, int | float)) / n
    lengths = [len(t) for t in texts]
    mean = sum(lengths) / n
    if kind == "names":
        short = sum(
            1
            for c, t in zip(filled, texts, strict=True)
            if len(t) <= 80
            and len(t.split()) <= 10
            and not _REF.match(t)
            and not _is_date_like(c.value)
            and cells.rag_word(t) is None
        )
        return short / n
    if kind in ("text", "update"):
        score = min(1.0, mean / 40)
        if kind == "update":
            dated = sum(1 for t in texts if cells.split_update_prefix(t).on is not None)
            score = min(1.0, score + 0.5 * dated / n)
        return score
    return 0.5


_REF = re.compile(r"^\(?[A-Za-z]{0,3}\.?\d+(\.\d+)*\.?\)?$")


# --- Finding the columns -----------------------------------------------------------------------


def column_key(header: object, index: int) -> str:
    """How a mapping names a column: its header text as normalised, or "@B" (its letter) when it has none."""
    from .layouts import normalise_header

    text = normalise_header(header)
    return text if text else f"@{get_column_letter(index + 1)}"


def header_signature(row: list[Cell]) -> str:
    """The header row's texts, as a profile recognises a workbook it has seen before."""
    from .layouts import normalise_header

    return "|".join(sorted({normalise_header(c.value) for c in row if cells.clean_text(c.value)}))


@dataclass
class ColumnGuess:
    index: int
    letter: str
    header: str
    field: str  # "" when not imported
    score: float
    samples: list[str]
    mapped: bool = False  # chosen by a saved mapping, not guessed

    def as_json(self) -> dict:
        return {
            "index": self.index,
            "letter": self.letter,
            "header": self.header,
            "field": self.field,
            "score": round(self.score, 2),
            "samples": self.samples,
            "mapped": self.mapped,
        }


@dataclass
class Recognition:
    """What was understood of a sheet's columns."""

    header_index: int  # index into the sheet's rows
    fields: dict[str, int]  # field -> column index
    columns: list[ColumnGuess]
    competing: dict[str, list[int]] = field(default_factory=dict)  # field -> columns that could be it
    missing: list[str] = field(default_factory=list)  # required fields with no column
    signature: str = ""

    @property
    def unsure(self) -> bool:
        return bool(self.competing or self.missing)

    def not_imported(self) -> list[ColumnGuess]:
        return [c for c in self.columns if not c.field and c.header]


def _data_columns(rows: list[list[Cell]], start: int, width: int) -> list[list[Cell]]:
    columns: list[list[Cell]] = [[] for _ in range(width)]
    for row in rows[start : start + SAMPLE_ROWS]:
        if sum(1 for c in row if c.value not in (None, "")) < 2:
            continue  # banners and blank rows say nothing about columns
        for i in range(width):
            columns[i].append(row[i] if i < len(row) else Cell(None))
    return columns


def _samples(column: list[Cell], n: int = 3) -> list[str]:
    out: list[str] = []
    for c in column:
        text = cells.clean_text(c.value).replace("\n", " ")
        if not text and c.fill:
            text = f"(fill #{c.fill})"
        if text and text not in out:
            out.append(text if len(text) <= 60 else text[:59] + "…")
        if len(out) == n:
            break
    return out


def _header_like(value: object) -> bool:
    """Header cells are short: a sentence in a data row is never a header, whatever words it uses."""
    if not isinstance(value, str) or len(value) > 300:
        return False
    text = cells.clean_text(value)
    return bool(text) and len(text) <= 70 and len(text.split()) <= 9


def _header_only(row: list[Cell], specs: list[FieldSpec], mapping: Mapping[str, str]) -> dict[str, int]:
    """{field: column} from header words (and a saved mapping) alone, greedy by score."""
    names = {s.name for s in specs}
    pairs: list[tuple[float, int, str]] = []
    taken_cols: set[int] = set()
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = column_key(cell.value, i) if mapping and cells.clean_text(cell.value) else None
        if key is not None and key in mapping:
            taken_cols.add(i)
            if mapping[key] in names and mapping[key] not in found:
                found[mapping[key]] = i
            continue
        if cell.value is None or (isinstance(cell.value, int | float) and not isinstance(cell.value, bool)):
            continue
        if not _header_like(cell.value):
            continue
        words = tuple(header_words(cell.value))  # once per cell, then scored against each field
        if not words:
            continue
        for spec in specs:
            score, weak = _score(words, spec)
            if score:
                pairs.append((score - (0.5 if weak else 0), i, spec.name))
    for _points, i, name in sorted(pairs, key=lambda p: (-p[0], p[1])):
        if i not in taken_cols and name not in found:
            found[name] = i
            taken_cols.add(i)
    return found


def find_columns(
    rows: list[list[Cell]],
    specs: Iterable[FieldSpec],
    *,
    is_header: Callable[[dict[str, int]], bool],
    required: Iterable[str] = (),
    mapping: Mapping[str, str] | None = None,
    header_index: int | None = None,
    within: int = HEADER_ROWS_WITHIN,
) -> Recognition | None:
    """The header row (the first that `is_header` accepts, or `header_index` when the person said which)
    and the best consistent assignment of fields to its columns; None when no row looks like a header.
    `mapping` ({column_key: field}) is a saved answer: it wins, and "" means "do not import"."""
    specs = list(specs)
    mapping = dict(mapping or {})
    if header_index is None:
        for i, row in enumerate(rows[:within]):
            if is_header(_header_only(row, specs, mapping)):
                header_index = i
                break
        else:
            return None
    if header_index >= len(rows):
        return None
    header = rows[header_index]
    width = max((len(r) for r in rows[header_index : header_index + SAMPLE_ROWS]), default=len(header))
    data = _data_columns(rows, header_index + 1, width)
    by_name = {s.name: s for s in specs}

    scores: dict[tuple[int, str], float] = {}
    header_scores: dict[tuple[int, str], float] = {}
    forced: dict[int, str] = {}
    for i in range(width):
        value = header[i].value if i < len(header) else None
        has_text = bool(cells.clean_text(value))
        key = column_key(value, i)
        if has_text and not _header_like(value):
            has_text = False
        if key in mapping:
            forced[i] = mapping[key] if mapping[key] in by_name else DO_NOT_IMPORT
            continue
        for spec in specs:
            vs = value_score(spec.values, data[i])
            hs, weak = score_header(value, spec) if has_text else (0.0, False)
            if weak and vs < 0.5:
                hs = 0.0
            if hs:
                header_scores[(i, spec.name)] = hs
                scores[(i, spec.name)] = hs + VALUE_WEIGHT * vs - (0.5 if vs < 0.2 else 0)
            elif not has_text and vs >= 0.8 and spec.values in ("rag", "ref", "date", "status"):
                scores[(i, spec.name)] = VALUE_WEIGHT * vs  # a column with no header: values alone

    fields: dict[str, int] = {name: i for i, name in forced.items() if name}
    taken = set(forced)
    for (i, name), _s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0][0])):
        if i in taken or name in fields:
            continue
        fields[name] = i
        taken.add(i)

    competing: dict[str, list[int]] = {}
    for name, i in fields.items():
        if i in forced:
            continue
        best = scores[(i, name)]
        rivals = [
            j
            for (j, other), s in scores.items()
            if other == name
            and j != i
            and j not in forced
            and (j, name) in header_scores
            and best - s < CLOSE
            and j not in fields.values()
        ]
        if rivals and (i, name) in header_scores:
            competing[name] = sorted([i, *rivals])
    required = list(required)
    missing = [r for r in required if r not in fields] if required else []

    columns = []
    for i in range(width):
        value = header[i].value if i < len(header) else None
        name = next((n for n, j in fields.items() if j == i), DO_NOT_IMPORT)
        columns.append(
            ColumnGuess(
                index=i,
                letter=get_column_letter(i + 1),
                header=cells.clean_text(value).replace("\n", " "),
                field=name,
                score=scores.get((i, name), 0.0) if name else 0.0,
                samples=_samples(data[i]),
                mapped=i in forced,
            )
        )
    return Recognition(
        header_index=header_index,
        fields=fields,
        columns=columns,
        competing=competing,
        missing=missing,
        signature=header_signature(header),
    )


def header_fields_scored(
    row: list[Cell], specs: Iterable[FieldSpec], mapping: Mapping[str, str] | None = None
) -> dict[str, int]:
    """{field: column} for a row from its header words alone (a repeated header row further down)."""
    return _header_only(row, list(specs), dict(mapping or {}))


def sheet_grid(sheet: Sheet, *, rows: int = 8, columns: int = 12) -> list[list[str]]:
    """The first rows of a sheet as short texts, for a preview of what was read."""
    out = []
    for row in sheet.rows[:rows]:
        texts = []
        for c in row[:columns]:
            text = cells.clean_text(c.value).replace("\n", " ")
            texts.append(text if len(text) <= 40 else text[:39] + "…")
        out.append(texts)
    return out
