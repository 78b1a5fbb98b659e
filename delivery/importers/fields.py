"""The fields of a delivery-plan workbook: which header words and values name which field, the three
layouts and how a header row tells them apart, and the rule for sub-references."""

from __future__ import annotations

import re

from core.tabular import cells
from core.tabular.layouts import (
    field_column,
    header_fields,
    normalise_header,
)
from core.tabular.recognise import (
    FieldSpec,
)
from core.tabular.workbook import Cell

from .columns import NATIVE_COLUMNS

EXTRACT, TRACKER, NATIVE = "extract", "tracker", "native"
LAYOUT_NAMES = {EXTRACT: "delivery-plan extract", TRACKER: "RAG tracker", NATIVE: "the tracker's own workbook"}

# Header text (normalised) -> field. Normalising lower-cases, drops "(s)", "/s", punctuation at the ends.
HEADERS = {
    "ref": "ref",
    "#": "ref",
    "no": "ref",
    "no.": "ref",
    "reference": "ref",
    "ref no": "ref",
    "number": "ref",
    "plan commitment": "commitment",
    "commitment": "commitment",
    "police and crime plan commitment": "commitment",
    "supporting activity": "activity",
    "activity": "activity",
    "action": "activity",
    "recommendation": "activity",
    "recommendation, action or activity": "activity",
    "recommendation action or activity": "activity",
    "action or activity": "activity",
    "supporting activities": "activity",
    "activities": "activity",
    "progress update": "progress",
    "update": "progress",
    "latest update": "progress",
    "progress": "progress",
    "latest progress": "progress",
    "progress update text": "progress",
    "oversight mechanism": "oversight",
    "oversight": "oversight",
    "oversight body": "oversight",
    "owner": "owners",
    "owners": "owners",
    "lead": "owners",
    "lead officer": "owners",
    "responsible": "owners",
    "date": "date",
    "due date": "due",
    "due": "due",
    "deadline": "date",
    "timescale": "date",
    "target date": "date",
    "rag": "rag",
    "rag status": "rag",
    "rag rating": "rag",
    "sub ref": "sub_ref",
    # The tracker's own workbook (layout 3): its stable column names.
    **{normalise_header(label): name for name, label, _width in NATIVE_COLUMNS},
}
# What each field of a plan is called in real workbooks, and what its values look like. Header words are
# matched as words, so "Key recommendation", "Action(s) / milestone", "Lead (officer)", "Current RAG"
# and "Update – Q3 2023/24" are recognised; see core.tabular.recognise.
PLAN_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("ref", ("ref", "reference", "#", "no", "number", "ref no", "id", "item"), "ref", "Ref"),
    FieldSpec(
        "commitment",
        ("commitment", "plan commitment", "police and crime plan commitment", "priority", "aim"),
        "text",
        "Plan commitment",
    ),
    FieldSpec(
        "activity",
        (
            "activity", "supporting activity", "action", "recommendation", "deliverable", "milestone", "task",
            "what we will do", "recommendation action or activity",
        ),
        "text",
        "Supporting activity",
    ),
    FieldSpec(
        "progress",
        ("update", "progress", "progress update", "position", "commentary", "narrative", "comment", "latest position"),
        "update",
        "Progress update",
    ),
    FieldSpec(
        "owners",
        ("owner", "lead", "lead officer", "responsible", "accountable", "responsible officer", "action owner", "who"),
        "names",
        "Owner/s",
    ),
    FieldSpec(
        "oversight",
        ("oversight", "oversight mechanism", "oversight body", "governance", "scrutiny", "board"),
        "names",
        "Oversight mechanism(s)",
    ),
    FieldSpec(
        "date",
        ("date", "due", "due date", "deadline", "timescale", "target date", "completion date", "by when", "when"),
        "date",
        "Date",
    ),
    FieldSpec("start", ("start", "start date", "commence", "commencement date"), "date", "Start date"),
    FieldSpec("rag", ("rag", "rag status", "rag rating", "rating", "brag", "rag rating status"), "rag", "RAG",
              weak_words=("status", "progress status")),
    FieldSpec("status", ("status", "progress status", "state"), "status", "Status"),
    FieldSpec("sub_ref", ("sub ref", "sub reference", "activity ref", "action ref", "sub no"), "ref", "Sub-ref"),
)  # fmt: skip
FIELD_LABELS = {f.name: f.label for f in PLAN_FIELDS}
REQUIRED = ("ref", "activity")

STATUS_WORDS = {
    "not started": "not_started",
    "in progress": "in_progress",
    "complete": "complete",
    "completed": "complete",
    "on hold": "on_hold",
    "closed": "closed",
}
GENERIC_TITLES = re.compile(r"^(appendix\s*\w*|delivery plan extract|annex\s*\w*)$", re.IGNORECASE)
SECTION_BANNER = re.compile(r"(:\s*$)|(^part\s+[a-z0-9]+\b)", re.IGNORECASE)


def is_header(fields: dict[str, int]) -> bool:
    return len(fields) >= 3 and ("activity" in fields or "commitment" in fields)


def is_native_header(row: list[Cell]) -> dict[str, int] | None:
    """The tracker's own workbook is recognised by its exact column names (it writes them)."""
    fields = header_fields(row, NATIVE_HEADERS)
    return fields if {"sub_ref", "status", "objective", "ref", "activity"} <= fields.keys() else None


NATIVE_HEADERS = {normalise_header(label): name for name, label, _width in NATIVE_COLUMNS}


def layout_of(fields: dict[str, int]) -> str | None:
    if {"sub_ref", "status", "objective"} <= fields.keys():
        return NATIVE
    if ("rag" in fields or "status" in fields) and "activity" in fields and "commitment" not in fields:
        return TRACKER
    if {"commitment", "activity"} <= fields.keys() or {"ref", "activity", "progress"} <= fields.keys():
        return EXTRACT
    if "ref" in fields and ("activity" in fields or "commitment" in fields):
        return TRACKER if {"owners", "date", "rag"} & fields.keys() else EXTRACT
    return None


def likely_header_row(rows: list[list[Cell]]) -> int | None:
    """For a sheet where no header was recognised: the first row of the first 15 with the most text
    cells (what a person would take for its header)."""
    best, best_count = None, 1
    for i, row in enumerate(rows[:15]):
        count = sum(1 for c in row if isinstance(c.value, str) and cells.clean_text(c.value))
        if count > best_count:
            best, best_count = i, count
    return best


def understood_fields(fields: dict[str, int]) -> list[str]:
    return [
        f"{FIELD_LABELS.get(name, name)} in column {field_column(fields, name)}"
        for name in sorted(fields, key=fields.get)
    ]


_REF_TOKENS = re.compile(r"[A-Za-z]+|\d+")


def sub_ref_extends(sub_ref: str, ref: str) -> bool:
    """Whether a bracketed prefix is a sub-reference of this commitment: it extends the commitment's
    reference ("A1.2" under "A.1" or "A1", "2.1.3" under "2.1", "D6.1" under "D6"). A leading letter may
    stand for the commitment's leading number ("A1.2" under "1.1", "B2.17" under "B.2")."""
    sub = [t.upper() for t in _REF_TOKENS.findall(sub_ref)]
    base = [t.upper() for t in _REF_TOKENS.findall(ref)]
    if not base or len(sub) <= len(base):
        return False
    if sub[: len(base)] == base:
        return True
    if len(sub[0]) == 1 and sub[0].isalpha() and base[0].isdigit() and len(sub) > len(base) + 0:
        aliased = [str(ord(sub[0]) - 64), *sub[1:]]
        if aliased[: len(base)] == base and len(aliased) > len(base):
            return True
    return False


def looks_like_sub_ref(candidate: str) -> bool:
    """A prefix that reads as a reference (several parts: "C3.1", "2.4"), not list numbering ("1", "12")."""
    return len(_REF_TOKENS.findall(candidate)) >= 2
