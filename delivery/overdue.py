"""The overdue review across everything the office chases.

Delivery registers its own activities here; other apps (KPIs, meetings) register their overdue
actions from their AppConfig.ready(), the way admin.site.register works, so delivery never imports
them:

    overdue.register("meeting action", meeting_overdue_items)

A source is a callable `(as_at: date, plan: Plan | None) -> Iterable[OverdueItem]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Plan


@dataclass(frozen=True)
class OverdueItem:
    kind: str
    plan: str
    ref: str
    title: str
    owners: tuple[str, ...]
    due: date
    days_overdue: int
    objective: str = ""
    objective_order: int | None = None
    last_update_on: date | None = None
    days_since_update: int | None = None
    rag: str = ""
    status: str = ""
    url: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["owners"] = list(self.owners)
        data["due"] = self.due.isoformat()
        data["last_update_on"] = self.last_update_on.isoformat() if self.last_update_on else None
        return data


Source = Callable[[date, "Plan | None"], Iterable[OverdueItem]]
_sources: dict[str, Source] = {}


def register(kind: str, source: Source) -> None:
    _sources[kind] = source


def unregister(kind: str) -> None:
    _sources.pop(kind, None)


def overdue_items(*, as_at: date, plan: Plan | None = None) -> list[OverdueItem]:
    """Every overdue item from every registered source, most overdue first."""
    items = [item for source in _sources.values() for item in source(as_at, plan)]
    return sorted(items, key=lambda i: (-i.days_overdue, i.plan, i.ref))


def activity_items(as_at: date, plan: Plan | None) -> list[OverdueItem]:
    from .selectors import overdue_activities

    items = []
    for a in overdue_activities(as_at=as_at, plan=plan):
        c = a.commitment
        items.append(
            OverdueItem(
                kind="activity",
                plan=c.plan.name,
                ref=f"{c.ref} / {a.sub_ref}" if a.sub_ref else c.ref,
                title=a.text,
                owners=tuple(o.name for o in a.owners.all()),
                due=a.at_due,
                days_overdue=(as_at - a.at_due).days,
                objective=c.objective.title,
                objective_order=c.objective.order,
                last_update_on=a.at_last_update_on,
                days_since_update=(as_at - a.at_last_update_on).days if a.at_last_update_on else None,
                rag=a.at_shown_rag,
                status=a.at_status,
                url=a.get_absolute_url(),
            )
        )
    return items


def group_by_owner(items: Iterable[OverdueItem]) -> list[tuple[str, list[OverdueItem]]]:
    """Items under each of their owners (an item with two owners appears under both)."""
    groups: dict[str, list[OverdueItem]] = {}
    for item in items:
        for owner in item.owners or ("No owner",):
            groups.setdefault(owner, []).append(item)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0].lower()))


def group_by_objective(items: Iterable[OverdueItem]) -> list[tuple[str, list[OverdueItem]]]:
    """Items under "Plan: N. Objective", in plan order then objective number (1, 2, ... 10)."""
    return [
        (f"{plan}: {objective}" if objective else plan, group)
        for plan, objectives in group_by_plan_and_objective(items)
        for objective, group in objectives
    ]


def group_by_plan_and_objective(
    items: Iterable[OverdueItem],
) -> list[tuple[str, list[tuple[str, list[OverdueItem]]]]]:
    """Items by plan (named once), then by objective in objective-number order, "N. Title"; items
    with no objective (actions from other sources) come last under their plan."""
    plans: dict[str, dict[tuple, list[OverdueItem]]] = {}
    for item in items:
        order = item.objective_order if item.objective_order is not None else 10**9
        key = (order, item.objective)
        plans.setdefault(item.plan, {}).setdefault(key, []).append(item)
    result = []
    for plan in sorted(plans, key=str.lower):
        objectives = []
        for (order, title), group in sorted(plans[plan].items(), key=lambda kv: (kv[0][0], kv[0][1].lower())):
            label = f"{order}. {title}" if title and order < 10**9 else (title or "Other items")
            objectives.append((label, group))
        result.append((plan, objectives))
    return result
