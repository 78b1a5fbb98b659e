"""What a delivery-plan workbook says once read: plain records (no database), and what the person
importing told the importer (ReadingOptions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.tabular.layouts import (
    ParsedUpdate,
    Problems,
)
from core.tabular.problems import Problem

from .fields import GENERIC_TITLES


@dataclass
class ParsedActivity:
    sheet: str
    row: int
    sub_ref: str
    text: str
    owner_text: str = ""
    owners: list[str] = field(default_factory=list)
    oversight: list[str] = field(default_factory=list)
    start: date | None = None
    due: date | None = None
    date_text: str = ""
    has_dates: bool = False  # the layout has a date column, so dates are to be compared
    rag: str | None = None  # None: the layout has no RAG column, leave it as it is
    status: str | None = None  # None: leave it (or derive it from RAG "Complete")
    updates: list[ParsedUpdate] = field(default_factory=list)
    publish: bool | None = None
    has_owners: bool = False
    has_oversight: bool = False
    rag_written: str = ""  # the rating as written when it was mapped ("Amber/Green", "On track")
    native: bool = False  # from the tracker's own workbook: a changed progress cell is as at the update date
    position: int | None = None  # the tracker's own workbook: the activity's position in its commitment


@dataclass
class ParsedCommitment:
    sheet: str
    row: int
    ref: str
    text: str
    objective: str
    objective_order: int | None
    section: str
    section_order: int | None
    activities: list[ParsedActivity] = field(default_factory=list)
    publish: bool | None = None


@dataclass
class ParsedSheet:
    name: str
    layout: str
    commitments: list[ParsedCommitment] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)

    @property
    def activity_count(self) -> int:
        return sum(len(c.activities) for c in self.commitments)


@dataclass
class ParsedWorkbook:
    filename: str
    sheets: list[ParsedSheet] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    notes: list[str] = field(default_factory=list)
    properties: dict = field(default_factory=dict)
    sheet_info: list[dict] = field(default_factory=list)  # per sheet: header row, columns understood, a grid
    unknown_values: list[dict] = field(default_factory=list)  # RAG and status values to map

    @property
    def titles(self) -> list[str]:
        return [t for s in self.sheets for t in s.titles]

    @property
    def errors(self) -> list[Problem]:
        return self.problems.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.problems.warnings

    @property
    def layout(self) -> str:
        kinds = sorted({s.layout for s in self.sheets})
        return kinds[0] if len(kinds) == 1 else ",".join(kinds)

    def plan_name(self) -> str | None:
        """The plan's name from the title rows: the most specific title, else None."""
        titles = [t for s in self.sheets for t in s.titles]
        specific = [t for t in titles if not GENERIC_TITLES.match(t.strip())]
        if specific:
            return max(specific, key=len)
        return None


@dataclass
class ReadingOptions:
    """What the person importing told the importer: column mappings per sheet ({sheet or "*":
    {column key: field}}), header rows per sheet (Excel row numbers), and value mappings
    ({"rag": {value key: "R"|"A"|"G"|"B"|""}, "status": {value key: status}})."""

    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
