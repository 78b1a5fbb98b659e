"""The rows of a delivery-plan extract (Appendix 1), as at a date. Renderers only lay these out.

Built from `selectors.activities_as_at`, so an update recorded after the as-at date never shows,
and withheld items (publish = False) are counted, not shown.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch

from core import rag as rag_scale

from ..models import Activity, Objective, OversightBody, Plan, ProgressUpdate, Status
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
        return f"{self.progress_on:%d/%m/%y} – {self.progress}" if self.progress_on else self.progress

    def cell(self, column: str) -> str:
        return {
            "ref": self.ref,
            "commitment": self.commitment,
            "activity": self.activity_text,
            "progress": self.progress_text,
            "oversight": self.oversight,
            "owners": self.owners,
            "date": self.date,
            "rag": self.rag_word if self.rag else "",
        }[column]


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
        """A hash of everything shown: the same definition on the same data gives the same hash."""
        payload = json.dumps(
            {
                "plan": self.plan,
                "title": self.title,
                "subtitle": self.subtitle,
                "as_at": self.as_at,
                "columns": self.columns,
                "changed_since": self.changed_since,
                "withheld": self.withheld,
                "objectives": [asdict(o) for o in self.objectives],
            },
            default=str,
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def _date_cell(due: date | None, text: str) -> str:
    shown = f"{due:%d/%m/%Y}" if due else ""
    if text and (not due or text.strip().lower() not in (shown, f"{due:%b %y}".lower())):
        return f"{text} ({shown})" if shown else text
    return shown


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
    """Objectives > sections > activity rows in natural reference order, as at `as_at`. Four queries."""
    qs = (
        activities_as_at(as_at=as_at)
        .filter(commitment__plan=plan)
        .select_related("commitment__objective", "commitment__section")
        .prefetch_related(Prefetch("oversight_bodies", queryset=OversightBody.objects.order_by("name")))
        .order_by(*PLAN_ORDER)
    )
    if objectives:
        qs = qs.filter(commitment__objective__in=objectives)
    if changed_since:
        qs = qs.annotate(
            changed=Exists(ProgressUpdate.objects.filter(activity=OuterRef("pk"), on__gt=changed_since, on__lte=as_at))
        )
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
    activities: list[Activity] = list(qs)
    for a in activities:
        c = a.commitment
        if not (c.publish and a.publish):
            data.withheld += 1
            continue
        if not include_complete and a.at_status == Status.COMPLETE:
            data.excluded_complete += 1
            continue
        o = c.objective
        block = blocks.get(o.pk)
        if block is None:
            block = blocks[o.pk] = ObjectiveBlock(order=o.order, title=o.title)
            data.objectives.append(block)
        key = (o.pk, c.section_id)
        section = sections.get(key)
        if section is None:
            section = sections[key] = SectionBlock(title=c.section.title if c.section else "")
            block.sections.append(section)
        row = ExtractRow(
            ref=c.ref,
            commitment=c.text,
            sub_ref=a.sub_ref,
            activity=a.text,
            progress=a.at_progress or "",
            progress_on=a.at_progress_on,
            oversight="; ".join(b.name for b in a.oversight_bodies.all()),
            owners=a.owner_text,
            date=_date_cell(a.at_due, a.date_text),
            rag=a.at_shown_rag or "",
            status=Status(a.at_status).label,
            changed=bool(getattr(a, "changed", False)),
            first_of_commitment=c.pk not in first_rows,
        )
        first_rows.setdefault(c.pk, row)
        commitment_rows[c.pk] += 1
        section.rows.append(row)
        block.counts[row.rag] += 1
    for pk, row in first_rows.items():
        row.commitment_rows = commitment_rows[pk]
    return data
