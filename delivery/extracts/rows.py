"""The rows of a delivery-plan extract (Appendix 1), as at a date. Renderers only lay these out.

Built from `selectors.activities_as_at`, so an update recorded after the as-at date never shows,
and withheld items (publish = False) are counted, not shown.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef

from core import rag as rag_scale

from ..models import Activity, Objective, Plan, ProgressUpdate, Status
from ..selectors import PLAN_ORDER, activities_as_at


@dataclass
class ExtractRow:
    ref: str  # commitment ref
    commitment: str
    sub_ref: str
    activity: str
    progress: str
    progress_on: date | None
    oversight: str
    owners: str
    date: str  # due date as at the date, with the original text where it differs
    rag: str  # BRAG letter, "" for not rated
    status: str
    changed: bool = False
    first_of_commitment: bool = True
    commitment_rows: int = 1

    @property
    def rag_word(self) -> str:
        return rag_scale.word(self.rag)

    @property
    def rag_letter(self) -> str:
        return self.rag or ""

    @property
    def activity_text(self) -> str:
        return f"({self.sub_ref}) {self.activity}" if self.sub_ref else self.activity

    @property
    def progress_text(self) -> str:
        if not self.progress:
            return ""
        return f"{_ddmmyy(self.progress_on)} – {self.progress}" if self.progress_on else self.progress

    def cell(self, column: str) -> str:
        return _CELLS[column](self)


_CELLS = {
    "ref": lambda row: row.ref,
    "commitment": lambda row: row.commitment,
    "activity": lambda row: row.activity_text,
    "progress": lambda row: row.progress_text,
    "oversight": lambda row: row.oversight,
    "owners": lambda row: row.owners,
    "date": lambda row: row.date,
    "rag": lambda row: rag_scale.word(row.rag) if row.rag else "",
}


@dataclass
class SectionBlock:
    title: str  # "" where the objective has no sections
    rows: list[ExtractRow] = field(default_factory=list)


@dataclass
class ObjectiveBlock:
    order: int
    title: str
    sections: list[SectionBlock] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {r: 0 for r in rag_scale.ORDER})

    @property
    def rows(self) -> list[ExtractRow]:
        return [r for s in self.sections for r in s.rows]


@dataclass
class ExtractData:
    plan: str
    title: str
    subtitle: str
    as_at: date
    columns: list[str]
    changed_since: date | None
    objectives: list[ObjectiveBlock]
    withheld: int = 0
    excluded_complete: int = 0

    @property
    def row_count(self) -> int:
        return sum(len(o.rows) for o in self.objectives)

    def rag_counts(self) -> dict[str, dict[str, int]]:
        return {o.title: dict(o.counts) for o in self.objectives}

    def content_hash(self) -> str:
        """A hash of everything shown: the same definition on the same data gives the same hash.

        The JSON is what `dataclasses.asdict` gives, built without its deep copies (a row's fields
        are plain values), so the hash is the same as it always was."""
        payload = json.dumps(
            {
                "plan": self.plan,
                "title": self.title,
                "subtitle": self.subtitle,
                "as_at": self.as_at,
                "columns": self.columns,
                "changed_since": self.changed_since,
                "withheld": self.withheld,
                "objectives": [
                    {
                        "order": o.order,
                        "title": o.title,
                        "sections": [
                            {"title": s.title, "rows": [dict(vars(row)) for row in s.rows]} for s in o.sections
                        ],
                        "counts": dict(o.counts),
                    }
                    for o in self.objectives
                ],
            },
            default=str,
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


@functools.lru_cache(maxsize=4096)  # a plan's updates share a few hundred dates
def _ddmmyy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}"


def _date_cell(due: date | None, text: str) -> str:
    shown = f"{due:%d/%m/%Y}" if due else ""
    if text and (not due or text.strip().lower() not in (shown, f"{due:%b %y}".lower())):
        return f"{text} ({shown})" if shown else text
    return shown


def _oversight_names(*, plan: Plan, objectives: list[Objective] | None) -> dict[int, str]:
    """Each activity's oversight bodies, "; "-joined in name order, for every activity of the plan
    (or of the chosen objectives): one query of tuples, with no list of ids to outgrow SQLite's limit."""
    through = Activity.oversight_bodies.through
    links = through.objects.filter(activity__commitment__plan=plan)
    if objectives:
        links = links.filter(activity__commitment__objective__in=objectives)
    names: dict[int, list[str]] = {}
    for activity_id, name in (
        links.order_by("activity_id", "oversightbody__name")
        .values_list("activity_id", "oversightbody__name")
        .iterator(chunk_size=5000)
    ):
        names.setdefault(activity_id, []).append(name)
    return {pk: "; ".join(found) for pk, found in names.items()}


FIELDS = (
    "pk",
    "commitment_id",
    "commitment__publish",
    "publish",
    "at_status",
    "commitment__objective_id",
    "commitment__objective__order",
    "commitment__objective__title",
    "commitment__section_id",
    "commitment__section__title",
    "commitment__ref",
    "commitment__text",
    "sub_ref",
    "text",
    "at_progress",
    "at_progress_on",
    "owner_text",
    "at_due",
    "date_text",
    "at_shown_rag",
)


def extract_rows(
    *,
    plan: Plan,
    as_at: date,
    columns: list[str],
    title: str,
    subtitle: str = "",
    objectives: list[Objective] | None = None,
    include_complete: bool = False,
    changed_since: date | None = None,
) -> ExtractData:
    """Objectives > sections > activity rows in natural reference order, as at `as_at`. Two queries,
    each returning tuples (no model instances): the rows, then their oversight bodies' names."""
    qs = activities_as_at(as_at=as_at).filter(commitment__plan=plan).order_by(*PLAN_ORDER)
    if objectives:
        qs = qs.filter(commitment__objective__in=objectives)
    fields: tuple[str, ...] = FIELDS
    if changed_since:
        qs = qs.annotate(
            changed=Exists(ProgressUpdate.objects.filter(activity=OuterRef("pk"), on__gt=changed_since, on__lte=as_at))
        )
        fields = (*FIELDS, "changed")
    data = ExtractData(
        plan=plan.name,
        title=title,
        subtitle=subtitle,
        as_at=as_at,
        columns=columns,
        changed_since=changed_since,
        objectives=[],
    )
    blocks: dict[int, ObjectiveBlock] = {}
    sections: dict[tuple[int, int | None], SectionBlock] = {}
    commitment_rows: Counter = Counter()
    first_rows: dict[int, ExtractRow] = {}
    status_labels = dict(Status.choices)
    complete = Status.COMPLETE.value
    shown: list[tuple[int, ExtractRow]] = []
    for values in qs.values_list(*fields).iterator(chunk_size=5000):
        (
            pk, commitment_id, c_publish, a_publish, status, objective_id, objective_order, objective_title,
            section_id, section_title, ref, commitment_text, sub_ref, text, progress, progress_on, owners,
            due, date_text, shown_rag,
        ) = values[:20]  # fmt: skip
        if not (c_publish and a_publish):
            data.withheld += 1
            continue
        if not include_complete and status == complete:
            data.excluded_complete += 1
            continue
        block = blocks.get(objective_id)
        if block is None:
            block = blocks[objective_id] = ObjectiveBlock(order=objective_order, title=objective_title)
            data.objectives.append(block)
        key = (objective_id, section_id)
        section = sections.get(key)
        if section is None:
            section = sections[key] = SectionBlock(title=section_title or "")
            block.sections.append(section)
        row = ExtractRow(
            ref=ref,
            commitment=commitment_text,
            sub_ref=sub_ref,
            activity=text,
            progress=progress or "",
            progress_on=progress_on,
            oversight="",
            owners=owners,
            date=_date_cell(due, date_text),
            rag=shown_rag or "",
            status=status_labels.get(status, status),
            changed=bool(values[20]) if changed_since else False,
            first_of_commitment=commitment_id not in first_rows,
        )
        first_rows.setdefault(commitment_id, row)
        commitment_rows[commitment_id] += 1
        section.rows.append(row)
        shown.append((pk, row))
        block.counts[row.rag] += 1
    names = _oversight_names(plan=plan, objectives=objectives) if shown else {}
    for pk, row in shown:
        row.oversight = names.get(pk, "")
    for pk, row in first_rows.items():
        row.commitment_rows = commitment_rows[pk]
    return data
