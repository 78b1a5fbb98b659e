"""A neutral table document: what Appendix 1, the KPI performance summary and the meetings panel
table have in common. Plain dataclasses; the renderers (xlsx, docx, pdf, csv) only lay it out.

    TableDocument(title, subtitle, intro=[...], stamp=as_at, columns=[Column(...)], blocks=[...])

Blocks give up to two levels of banner rows. The document's `blocks` are level 1 (a strong banner,
e.g. an objective); a block's `children` are level 2 (a light banner, e.g. a section). A block's
own `rows` come straight under its banner, before its children's. A block with an empty title has
no banner row, so a plain table is one `Block("", rows=[...])`:

    Block("1. Putting victims first", children=[
        Block("Policing element", rows=[Row(...), Row(...)]),
        Block("", rows=[...]),                     # rows with no level-2 banner
    ])

Merge-down: consecutive rows of one block with the same `group` (not None) show the cells of the
`merge_down` columns once, merged down over them, with the first row's text (as a commitment's Ref
and text over its activities).

This module imports nothing from Django, so the PDF worker processes can import the package cheaply.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass
class Column:
    key: str
    label: str
    width: float = 12  # characters in xlsx; relative weight in docx and pdf
    merge_down: bool = False  # merged over consecutive rows of the same group
    is_rag: bool = False  # a shaded cell with the RAG letter (the row's `rag`); the word in csv
    pdf_width: float | None = None  # relative weight in the pdf when it needs to differ (padding)
    csv_only: bool = False  # only in the csv, which has no room for anything else (e.g. Status)
    # The row's reference (e.g. a commitment's Ref): the pdf shows it on every row, a merge-down one
    # too (muted where it repeats), so a row at the top of a page still says what it is.
    identifies: bool = False


@dataclass
class Row:
    cells: dict[str, str]  # plain text by column key; may contain newlines; never markup
    rag: str | None = None  # one of core.rag.ORDER ("R", "A", "G", "B", "" not rated); None: no RAG
    group: str | None = None  # rows next to each other with the same group share merge_down cells


@dataclass
class Block:
    title: str  # the banner's text; "" for no banner row
    rows: list[Row] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)  # level 2 (children of a level-2 block are ignored)

    def leaves(self) -> list[tuple[str, list[Row]]]:
        """(level-2 banner, rows) in order: the block's own rows first, under no level-2 banner."""
        own = [("", self.rows)] if self.rows else []
        return own + [(child.title, child.rows) for child in self.children]

    @property
    def all_rows(self) -> list[Row]:
        return [row for _, rows in self.leaves() for row in rows]


@dataclass
class SummarySheet:
    """A small table after the main one: a second sheet in xlsx, a table at the end in docx and pdf."""

    title: str  # the sheet's name (31 characters at most) and the heading above the table
    header: list[str]
    rows: list[list[str | int | float]]
    total: list[str | int | float] | None = None  # a last row, in bold
    note: str = ""


@dataclass
class TableDocument:
    title: str
    columns: list[Column]
    blocks: list[Block]
    stamp: date  # every timestamp written in the files: the same document gives the same bytes
    subtitle: str = ""
    intro: list[str] = field(default_factory=list)  # lines under the title
    subject: str = ""  # document property (e.g. the plan's name)
    language: str = "en-GB"
    summaries: list[SummarySheet] = field(default_factory=list)
    footer: str = ""  # bottom left of every page, before "Page X of Y"
    sheet_name: str = "Table"
    banner_labels: tuple[str, ...] = ()  # csv headings for the level-1 and level-2 banners, e.g. ("Objective",)
    identifier: str = ""  # the PDF's /ID (32 characters); by default a hash of the document

    @property
    def row_count(self) -> int:
        return sum(len(block.all_rows) for block in self.blocks)

    def shown_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.csv_only]

    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), default=str, sort_keys=True).encode()).hexdigest()

    def pdf_identifier(self) -> bytes:
        return (self.identifier or self.content_hash())[:32].encode()


def merge_spans(rows: list[Row]) -> list[int]:
    """For each row, how many rows its merge_down cells span: n on the first row of a group's run,
    0 on the rows that continue it, 1 for a row in no group."""
    spans = [1] * len(rows)
    start = 0
    for i, row in enumerate(rows):
        if i and row.group is not None and row.group == rows[i - 1].group:
            spans[i] = 0
            spans[start] += 1
        else:
            start = i
    return spans
