"""The overdue review across everything the office chases.

Delivery registers its own activities here; other apps (KPIs, meetings) register their overdue
actions from their AppConfig.ready(), the way admin.site.register works, so delivery never imports
them:

    overdue.register("meeting action", meeting_overdue_items)

A source is a callable `(as_at: date, plan: Plan | None) -> Iterable[OverdueItem]`: every item, for
the `overdue` command, the digests and exports. A source may also give a `QuerySource` (below) so the
review page shows counts by aggregate query and loads one page of one group at a time:

    overdue.register("meeting action", meeting_overdue_items, query=QuerySource(rows=..., items=...))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

from core.freshness import fingerprints

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from core.freshness import DataVersion

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
_data: dict[str, tuple[DataVersion, ...]] = {}


def register(kind: str, source: Source, *, query: QuerySource | None = None, data: Iterable[DataVersion] = ()) -> None:
    """Add a source of overdue items; with `query`, the review page counts and pages it in SQL. `data`: the
    DataVersions (core.freshness) of every table its items are read from, so the review's counts can be kept
    in the cache until one changes; a source that gives none has the review worked out every time."""
    _sources[kind] = source
    if query is not None:
        _queries[kind] = query
    else:
        _queries.pop(kind, None)
    if data:
        _data[kind] = tuple(data)
    else:
        _data.pop(kind, None)


def unregister(kind: str) -> None:
    _sources.pop(kind, None)
    _queries.pop(kind, None)
    _data.pop(kind, None)


def fingerprint() -> str | None:
    """A fingerprint of everything the review's items are read from (each source's DataVersions), or None
    when a source has not said what that is."""
    if any(kind not in _data for kind in _sources):
        return None
    versions = dict.fromkeys(d for kind in _sources for d in _data[kind])
    return "|".join(fingerprints(*versions))


# --- Counts and pages by aggregate query (the review page at any size) ----------------------------
#
# A source may also give its counts and one page of one group by query, so the review page never
# builds every item: `register(kind, source, query=QuerySource(...))`. A source registered without
# one (a small plug-in) is counted and paged from its items in Python, as before.

BY = ("kind", "owner", "objective")
NO_OWNER = "No owner"
OTHER_ITEMS = "Other items"


@dataclass(frozen=True)
class Group:
    """One group of the review: its key in URLs, label, count and worst days overdue."""

    by: str
    key: str
    label: str
    count: int
    worst: int
    plan: str = ""
    order: tuple = ()


@dataclass(frozen=True)
class QuerySource:
    """How to count and page one source in the database.

    rows(as_at, plan): the source's overdue rows, annotated `ov_due` (the due date as at) and
    `ov_objective` (the objective's pk, or NULL); `owner`: the path to an owner's name (a
    many-to-many path counts an item under each owner), or None when `owner_label` names the owner
    of every row; `other_plan`: the plan label of rows with no objective. items(rows, as_at): build
    OverdueItems for a sliced queryset (its select_related/prefetch are its own).

    Counts are plain COUNTs (no DISTINCT, which sorts every row) unless `rows` is itself distinct:
    so `rows` gives each item once, and `owner` names each of an item's owners once (a foreign key,
    or a many-to-many to a unique name, as delivery's Owner is).
    """

    rows: Callable[[date, Plan | None], QuerySet]
    items: Callable[[QuerySet, date], list[OverdueItem]]
    owner: str | None = None
    owner_label: str = NO_OWNER
    other_plan: str = ""


_queries: dict[str, QuerySource] = {}


def _kind_key(kind: str) -> str:
    return kind.replace(" ", "-")


def _worst(as_at: date, first_due: date | None) -> int:
    return (as_at - first_due).days if first_due else 0


def _python_items(kind: str, as_at: date, plan: Plan | None) -> list[OverdueItem]:
    return sorted(_sources[kind](as_at, plan), key=lambda i: (i.due, i.plan, i.ref))


def _objective_key(item: OverdueItem) -> str:
    return f"title:{item.plan}:{item.objective}" if item.objective else f"none:{item.plan}"


def all_groups(*, as_at: date, plan: Plan | None = None, by: Iterable[str] = BY) -> dict[str, list[Group]]:
    """The review's groups by kind, owner and objective (those in `by`), with counts and worst days
    overdue. Two aggregate queries per source whatever the number of items: one by objective (whose
    sum is the kind's count), one by owner."""
    from django.db.models import Count, Min

    from .models import Objective

    wanted = set(by)
    # by -> key -> [label, count, first_due, plan, order]
    counts: dict[str, dict[str, list]] = {b: {} for b in BY}

    def add(b, key, label, n, first_due, plan_label="", order=()):
        if not n:  # a constant grouping over no rows still answers one row, of zero
            return
        row = counts[b].setdefault(key, [label, 0, first_due, plan_label, order])
        row[1] += n
        if first_due and (row[2] is None or first_due < row[2]):
            row[2] = first_due

    objective_ids: set[int] = set()
    for kind in _sources:
        query = _queries.get(kind)
        if query is None:
            items = _python_items(kind, as_at, plan)
            if items:
                add("kind", _kind_key(kind), kind, len(items), items[0].due)
            for item in items:
                for owner in item.owners or (NO_OWNER,):
                    add("owner", owner, owner, 1, item.due)
                label = item.objective or OTHER_ITEMS
                order = (item.objective_order if item.objective_order is not None else 10**9, label.lower())
                add("objective", _objective_key(item), label, 1, item.due, item.plan, order)
            continue
        rows = query.rows(as_at, plan).order_by()
        once = rows.query.distinct  # a distinct source (joined to a many-to-many to filter) counts each row once
        if wanted & {"kind", "objective"}:
            for r in rows.values("ov_objective").annotate(n=Count("pk", distinct=once), first=Min("ov_due")):
                add("kind", _kind_key(kind), kind, r["n"], r["first"])
                if r["ov_objective"] is None:
                    key, plan_label = f"none:{query.other_plan}", query.other_plan
                    add("objective", key, OTHER_ITEMS, r["n"], r["first"], plan_label, (10**9, ""))
                else:
                    objective_ids.add(r["ov_objective"])
                    add("objective", str(r["ov_objective"]), "", r["n"], r["first"])
        if "owner" in wanted:
            if query.owner is None:
                agg = rows.aggregate(n=Count("pk", distinct=once), first=Min("ov_due"))
                add("owner", query.owner_label, query.owner_label, agg["n"], agg["first"])
            else:
                for r in rows.values(query.owner).annotate(n=Count("pk", distinct=once), first=Min("ov_due")):
                    name = r[query.owner] or NO_OWNER
                    add("owner", name, name, r["n"], r["first"])
    if objective_ids and "objective" in wanted:
        for o in Objective.objects.filter(pk__in=objective_ids).select_related("plan"):
            row = counts["objective"][str(o.pk)]
            row[0], row[3], row[4] = f"{o.order}. {o.title}", o.plan.name, (o.order, o.title.lower())
    result = {}
    for b in wanted:
        found = [
            Group(by=b, key=key, label=label, count=n, worst=_worst(as_at, first), plan=plan_label, order=order)
            for key, (label, n, first, plan_label, order) in counts[b].items()
        ]
        if b == "objective":
            found.sort(key=lambda g: (g.plan.lower(), g.order))
        elif b == "owner":
            found.sort(key=lambda g: (-g.count, g.label.lower()))
        else:
            found.sort(key=lambda g: -g.worst)
        result[b] = found
    return result


def groups(*, as_at: date, plan: Plan | None = None, by: str) -> list[Group]:
    """The review's groups `by` kind, owner or objective (see all_groups)."""
    return all_groups(as_at=as_at, plan=plan, by=(by,))[by]


def group_items(
    *, as_at: date, plan: Plan | None = None, by: str, key: str, offset: int = 0, limit: int = 50
) -> list[OverdueItem]:
    """One page of one group, most overdue first: at most offset + limit rows read from each source."""
    end = offset + limit
    found: list[OverdueItem] = []
    for kind in _sources:
        query = _queries.get(kind)
        if by == "kind" and key != _kind_key(kind):
            continue
        if query is None:
            items = _python_items(kind, as_at, plan)
            if by == "owner":
                items = [i for i in items if key in (i.owners or (NO_OWNER,))]
            elif by == "objective":
                items = [i for i in items if _objective_key(i) == key]
            found.extend(items[:end])
            continue
        rows = query.rows(as_at, plan)
        if by == "owner":
            if query.owner is None:
                if key != query.owner_label:
                    continue
            elif key == NO_OWNER:
                rows = rows.filter(**{f"{query.owner}__isnull": True})
            else:  # a semi-join, so an item is read once however its owners are joined
                rows = rows.filter(pk__in=query.rows(as_at, plan).filter(**{query.owner: key}).values("pk"))
        elif by == "objective":
            if key.isdigit():
                rows = rows.filter(ov_objective=int(key))
            elif key == f"none:{query.other_plan}":
                rows = rows.filter(ov_objective__isnull=True)
            else:
                continue
        found.extend(query.items(rows.order_by("ov_due", "pk")[:end], as_at))
    found.sort(key=lambda i: (-i.days_overdue, i.plan, i.ref))
    return found[offset:end]


def group_label(*, by: str, key: str) -> str:
    """A group's name for its own page: the kind, the owner, or the objective (with its plan)."""
    from .models import Objective

    if by == "kind":
        return next((kind for kind in _sources if _kind_key(kind) == key), key.replace("-", " "))
    if by == "objective":
        if key.isdigit():
            o = Objective.objects.filter(pk=int(key)).select_related("plan").first()
            return f"{o.order}. {o.title} ({o.plan.name})" if o else "No such objective"
        if key.startswith("none:"):
            return f"{OTHER_ITEMS} ({key[5:]})" if key[5:] else OTHER_ITEMS
        if key.startswith("title:"):
            plan_name, _, title = key[6:].partition(":")
            return f"{title} ({plan_name})"
    return key


EXPORT_CHUNK = 1000


def _query_stream(query: QuerySource, as_at: date, plan: Plan | None, chunk: int) -> Iterator[OverdueItem]:
    """A source's items in due order, `chunk` rows at a time by keyset (due, pk): constant memory."""
    from django.db.models import Q

    base = query.rows(as_at, plan).order_by("ov_due", "pk")
    after = Q()
    while True:
        rows = list(base.filter(after)[:chunk])
        yield from query.items(rows, as_at)
        if len(rows) < chunk:
            return
        last = rows[-1]
        after = Q(ov_due__gt=last.ov_due) | Q(ov_due=last.ov_due, pk__gt=last.pk)


def stream_items(*, as_at: date, plan: Plan | None = None, chunk: int = EXPORT_CHUNK) -> Iterator[OverdueItem]:
    """Every overdue item, most overdue first, read `chunk` rows at a time from each source and merged:
    for exports of any size in constant memory (the same items as overdue_items; within one due
    date, each source's rows in the order they were added)."""
    import heapq

    streams = []
    for kind in _sources:
        query = _queries.get(kind)
        if query is None:
            streams.append(iter(_python_items(kind, as_at, plan)))
        else:
            streams.append(_query_stream(query, as_at, plan, chunk))
    return heapq.merge(*streams, key=lambda i: -i.days_overdue)


def top_items(*, as_at: date, plan: Plan | None = None, limit: int = 25) -> list[OverdueItem]:
    """The most overdue items across every source (the review's first table): at most `limit` each."""
    items = [
        i for kind in _sources for i in group_items(as_at=as_at, plan=plan, by="kind", key=_kind_key(kind), limit=limit)
    ]
    return sorted(items, key=lambda i: (-i.days_overdue, i.plan, i.ref))[:limit]


def overdue_items(*, as_at: date, plan: Plan | None = None) -> list[OverdueItem]:
    """Every overdue item from every registered source, most overdue first."""
    items = [item for source in _sources.values() for item in source(as_at, plan)]
    return sorted(items, key=lambda i: (-i.days_overdue, i.plan, i.ref))


def activity_items(as_at: date, plan: Plan | None) -> list[OverdueItem]:
    from .selectors import overdue_activities

    return _activity_items(overdue_activities(as_at=as_at, plan=plan), as_at)


def _activity_items(rows: Iterable, as_at: date) -> list[OverdueItem]:
    items = []
    for a in rows:
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


def _activity_rows(as_at: date, plan: Plan | None) -> QuerySet:
    from django.db.models import F

    from .selectors import overdue_activities

    return overdue_activities(as_at=as_at, plan=plan).annotate(
        ov_due=F("at_due"), ov_objective=F("commitment__objective_id")
    )


ACTIVITY_QUERY = QuerySource(rows=_activity_rows, items=_activity_items, owner="owners__name")


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
