"""Apply a delivery plan's change set in one transaction with bulk writes. Called by the plan importer only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import audit
from core.bulk import insert_rows, update_rows
from core.tabular.importer import Outcome, without_gc_pauses
from core.text import author_name, natural_key

from ..models import (
    PLAN_DATA,
    Activity,
    Commitment,
    Objective,
    OversightBody,
    Owner,
    Plan,
    ProgressUpdate,
    Section,
    link_trails,
)
from .planner import KINDS, ChangeSet, name_key

COMMITMENT_COLUMNS = ("plan", "objective", "section", "ref", "ref_key", "text", "publish")
ACTIVITY_COLUMNS = (
    "commitment", "position", "sub_ref", "sub_ref_key", "text", "owner_text", "start_date", "due_date",
    "date_text", "status", "rag", "progress", "progress_on", "last_update_on", "created_on", "publish", "version",
)  # fmt: skip
UPDATE_COLUMNS = (
    "activity", "on", "kind", "author", "author_name", "text", "rag", "status", "start_date", "due_date",
    "changes", "source", "recorded_at", "for_panel", "next_on", "next_text_on", "undated",
)  # fmt: skip
NEXT_ON, NEXT_TEXT_ON = UPDATE_COLUMNS.index("next_on"), UPDATE_COLUMNS.index("next_text_on")
CHANGED_COLUMNS = (
    "text", "sub_ref", "sub_ref_key", "owner_text", "date_text", "rag", "status", "publish", "start_date", "due_date",
    "progress", "progress_on", "last_update_on", "version",
)  # fmt: skip  # what an import may change in an existing activity (no foreign keys: names are attributes)


@dataclass
class Writes:
    """Every row an apply creates or changes, by id: the one place that knows them all."""

    commitments_created: list[int] = field(default_factory=list)
    commitments_updated: list[int] = field(default_factory=list)
    activities_created: list[int] = field(default_factory=list)
    activities_changed: list[int] = field(default_factory=list)
    updates: int = 0


@dataclass
class PlanOutcome(Outcome):
    """What apply did, and the delivery plan it went into."""

    plan: Plan | None = None


@without_gc_pauses()
@transaction.atomic
def apply_change_set(cs: ChangeSet, *, by, source: str, seen_versions: dict[str, int] | None = None) -> PlanOutcome:
    """Write the change set. Activities whose version moved since the preview (`seen_versions`,
    {activity id: version}) are conflicts: listed and left alone."""
    seen_versions = seen_versions or {}
    plan = Plan.objects.filter(pk=cs.plan_id).first() if cs.plan_id else None
    if plan is None:
        plan = Plan.objects.filter(name__iexact=cs.plan_name).first() or Plan.objects.create(name=cs.plan_name)
    result = PlanOutcome(
        created=dict.fromkeys(KINDS, 0),
        updated=dict.fromkeys(KINDS, 0),
        target_id=plan.pk,
        target_name=plan.name,
        extra={"plan_slug": plan.slug},
        plan=plan,
    )
    writes = Writes()

    # Objectives and sections.
    objectives = {name_key(o.title): o for o in plan.objectives.all()}
    new = [
        Objective(plan=plan, title=o["title"], order=o["order"])
        for o in cs.objectives
        if o["action"] == "create" and name_key(o["title"]) not in objectives
    ]
    taken = {o.order for o in objectives.values()}
    for o in new:
        while o.order in taken:
            o.order += 1
        taken.add(o.order)
    for o in Objective.objects.bulk_create(new):
        objectives[name_key(o.title)] = o
    result.created["objectives"] = len(new)
    sections = {(s.objective_id, name_key(s.title)): s for s in Section.objects.filter(objective__plan=plan)}
    new_sections = []
    for s in cs.sections:
        if s["action"] != "create":
            continue
        objective = objectives[name_key(s["objective"])]
        if (objective.pk, name_key(s["title"])) in sections:
            continue
        used = {sec.order for (oid, _), sec in sections.items() if oid == objective.pk}
        used |= {n.order for n in new_sections if n.objective_id == objective.pk}
        order = s["order"]
        while order in used:
            order += 1
        new_sections.append(Section(objective=objective, title=s["title"], order=order))
    for s in Section.objects.bulk_create(new_sections):
        sections[(s.objective_id, name_key(s.title))] = s
    result.created["sections"] = len(new_sections)

    # Owners and oversight bodies seen for the first time.
    owners = {name_key(o.name): o for o in Owner.objects.all()}
    new_owners = Owner.objects.bulk_create([Owner(name=n) for n in cs.new_owners if name_key(n) not in owners])
    owners = {name_key(o.name): o for o in Owner.objects.all()}
    bodies = {name_key(b.name): b for b in OversightBody.objects.all()}
    new_bodies = OversightBody.objects.bulk_create(
        [OversightBody(name=n) for n in cs.new_bodies if name_key(n) not in bodies]
    )
    bodies = {name_key(b.name): b for b in OversightBody.objects.all()}

    # Commitments.
    commitments = {c.ref: c for c in Commitment.objects.filter(plan=plan)}
    to_create, to_update = [], []
    for c in cs.commitments:
        objective = objectives[name_key(c["objective"])]
        section = sections.get((objective.pk, name_key(c["section"]))) if c["section"] else None
        if c["action"] == "create" and c["ref"] not in commitments:
            obj = Commitment(  # by ids: setting related instances costs more than the rest of the row
                plan_id=plan.pk,
                objective_id=objective.pk,
                section_id=section.pk if section else None,
                ref=c["ref"],
                ref_key=natural_key(c["ref"]),
                text=c["text"],
                publish=c.get("publish", True),
            )
            to_create.append(obj)
            commitments[c["ref"]] = obj
        elif c["action"] == "update":
            obj = commitments[c["ref"]]
            obj.text = c["text"] or obj.text
            obj.objective, obj.section = objective, section
            if "publish" in c:
                obj.publish = c["publish"]
            to_update.append(obj)
    new_ids = insert_rows(
        Commitment,
        COMMITMENT_COLUMNS,
        [(plan.pk, o.objective_id, o.section_id, o.ref, o.ref_key, o.text, o.publish) for o in to_create],
        returning_ids=True,
    )
    for obj, pk in zip(to_create, new_ids, strict=True):
        obj.pk = pk
    update_rows(
        Commitment,
        ("text", "objective", "section", "publish"),
        [(o.pk, o.text, o.objective_id, o.section_id, o.publish) for o in to_update],
    )
    result.created["commitments"], result.updated["commitments"] = len(to_create), len(to_update)
    writes.commitments_created, writes.commitments_updated = new_ids, [o.pk for o in to_update]

    # Activities.
    creates = [a for a in cs.activities if a.action == "create"]
    changes = [a for a in cs.activities if a.action == "update"]
    # Lock the activities this import changes, in primary-key order (so two imports, or an import and
    # a colleague's save, never wait on each other in a cycle), and check their versions under the
    # lock: a save that committed before the lock is a conflict; one that comes after waits for this
    # transaction and is then refused as stale by its own version check. Nothing is lost either way.
    current = _lock_activities(sorted({a.activity_id for a in changes}))
    for a in changes:
        live = current.get(a.activity_id)
        expected = seen_versions.get(str(a.activity_id), seen_versions.get(a.activity_id, a.version))
        if live is None or live.version != expected or live.version != a.version:
            result.conflicts.append(
                {
                    "ref": a.ref,
                    "sub_ref": a.sub_ref,
                    "text": a.text,
                    "sheet": a.sheet,
                    "row": a.row,
                    "activity_id": a.activity_id,
                }
            )
    conflicted = {c["activity_id"] for c in result.conflicts}
    changes = [a for a in changes if a.activity_id not in conflicted]

    author = author_name(by)

    now = timezone.now()

    def update_row(
        activity_id: int, state: dict, on: date, kind: str, text: str, changes: dict | None, undated: bool = False
    ) -> list:
        """A progress update written by this import (UPDATE_COLUMNS), recording the state it leaves the
        activity in; next_on and next_text_on are worked out below or by link_trails. `undated`: the
        entry had no date of its own (`on` is the import's), so none is ever shown as its date."""
        return [
            activity_id, on, kind, by.pk if by is not None else None, author, text, state["rag"], state["status"],
            state["start_date"], state["due_date"], changes or {}, source, now, False, None, None, undated,
        ]  # fmt: skip

    positions = dict(
        Activity.objects.filter(commitment__plan=plan)
        .values("commitment_id")
        .annotate(m=Max("position"))
        .values_list("commitment_id", "m")
    )
    activity_rows, states = [], []
    for a in creates:
        f = a.fields
        commitment = commitments[a.commitment_key]
        dates = [date.fromisoformat(u["on"]) for u in a.updates]
        created_on = min([*dates, cs.as_at])
        last = a.updates[-1] if a.updates else None
        pos = positions.get(commitment.pk, 0) + 1
        positions[commitment.pk] = pos
        state = {
            "rag": f.get("rag") or "",
            "status": f["status"],
            "start_date": _d(f.get("start_date")),
            "due_date": _d(f.get("due_date")),
            "created_on": created_on,
        }
        states.append(state)
        activity_rows.append(
            (
                commitment.pk, pos, a.sub_ref, natural_key(a.sub_ref), a.text, f.get("owner_text", ""),
                state["start_date"], state["due_date"], f.get("date_text", ""), state["status"], state["rag"],
                last["text"] if last else "",
                date.fromisoformat(last["on"]) if last and not last.get("undated") else None,
                max([*dates, created_on]), created_on, f.get("publish", True), 1,
            )
        )  # fmt: skip
    new_activity_ids = insert_rows(Activity, ACTIVITY_COLUMNS, activity_rows, returning_ids=True)
    owner_rows, body_rows, created_updates = [], [], []
    for a, pk, state in zip(creates, new_activity_ids, states, strict=True):
        f = a.fields
        owner_rows += [(pk, owners[name_key(n)].pk) for n in f.get("owners", [])]
        body_rows += [(pk, bodies[name_key(n)].pk) for n in f.get("oversight", [])]
        written = {"rag_as_written": ["", a.rag_as_written]} if a.rag_as_written else None
        trail = [update_row(pk, state, state["created_on"], ProgressUpdate.Kind.CREATED, "", written)]
        for u in a.updates:
            on = date.fromisoformat(u["on"])
            undated = u.get("undated", False)
            trail.append(update_row(pk, state, on, ProgressUpdate.Kind.IMPORT, u["text"], None, undated))
        created_updates += _linked(trail)
    result.created["activities"] = len(new_activity_ids)
    writes.activities_created = new_activity_ids

    updated_objs, replace_owners, replace_bodies, changed_updates = [], [], [], []
    for a in changes:
        act = current[a.activity_id]
        f = a.fields
        for name in ("text", "sub_ref", "owner_text", "date_text", "rag", "status", "publish"):
            if name in f:
                setattr(act, name, f[name])
        for name in ("start_date", "due_date"):
            if name in f:
                setattr(act, name, _d(f[name]))
        act.sub_ref_key = natural_key(act.sub_ref)
        if "owners" in f:
            replace_owners.append(act.pk)
            owner_rows += [(act.pk, owners[name_key(n)].pk) for n in f["owners"]]
        if "oversight" in f:
            replace_bodies.append(act.pk)
            body_rows += [(act.pk, bodies[name_key(n)].pk) for n in f["oversight"]]
        field_changes = {
            k: v
            for k, v in a.changes.items()
            if k not in ("progress", "text", "sub_ref", "oversight", "publish", "owner_text")
        }
        if a.rag_as_written:
            field_changes["rag_as_written"] = ["", a.rag_as_written]
        entries = a.updates or [{"on": max(cs.as_at, act.last_update_on or cs.as_at).isoformat(), "text": ""}]
        state = {k: getattr(act, k) for k in ("rag", "status", "start_date", "due_date")}
        for i, u in enumerate(entries):
            on = date.fromisoformat(u["on"])
            changed_updates.append(
                update_row(
                    act.pk, state, on, ProgressUpdate.Kind.IMPORT, u["text"],
                    field_changes if i == len(entries) - 1 else None, u.get("undated", False),
                )
            )  # fmt: skip
            act.last_update_on = max(on, act.last_update_on or on)
            if u["text"]:
                act.progress, act.progress_on = u["text"], None if u.get("undated") else on
        act.version += 1  # `act` is the row read under the lock: its version is the current one
        updated_objs.append(act)
    update_rows(Activity, CHANGED_COLUMNS, [(a.pk, *(getattr(a, f) for f in CHANGED_COLUMNS)) for a in updated_objs])
    result.updated["activities"] = len(updated_objs)
    writes.activities_changed = [act.pk for act in updated_objs]
    Activity.owners.through.objects.filter(activity_id__in=replace_owners).delete()
    Activity.oversight_bodies.through.objects.filter(activity_id__in=replace_bodies).delete()
    insert_rows(Activity.owners.through, ["activity", "owner"], dict.fromkeys(owner_rows))
    insert_rows(Activity.oversight_bodies.through, ["activity", "oversightbody"], dict.fromkeys(body_rows))
    insert_rows(ProgressUpdate, UPDATE_COLUMNS, created_updates + changed_updates)
    # The trails of new activities were linked as they were built; updates appended to existing
    # trails are linked in the database, against the updates already there.
    link_trails({row[0] for row in changed_updates})
    result.created["updates"] = sum(1 for row in created_updates if row[2] != ProgressUpdate.Kind.CREATED) + len(
        changed_updates
    )
    writes.updates = len(created_updates) + len(changed_updates)
    _audit(cs, writes, created=[*new, *new_sections, *new_owners, *new_bodies, *to_create], commitments=commitments,
           current=current, changes=changes, creates=creates, activity_rows=activity_rows)  # fmt: skip
    PLAN_DATA.changed()  # bulk_update and COPY send no signals
    return result


def _audit(cs: ChangeSet, writes: Writes, *, created, commitments, current, changes, creates, activity_rows) -> None:
    """The audit trail of what this apply wrote by bulk (no signals fire): each objective, section,
    owner, oversight body and commitment created, each commitment and activity changed (each field
    before and after) and each activity created, in one bulk insert. The progress updates written are
    not entered one by one: they are the activity's own append-only trail, each naming its author and
    the file (`source`), and the import's own entry counts them."""
    by_pk = {c.pk: c for c in commitments.values()}
    made = [audit.created_item(o) for o in created]  # reprs may read related rows: all read before writing
    made += [audit.changed_item(commitments[c["ref"]], c["changes"]) for c in cs.commitments if c["action"] == "update"]
    changed = []
    for a in changes:
        act = current[a.activity_id]
        act.commitment = by_pk.get(act.commitment_id) or act.commitment  # its repr names the ref: no query
        changed.append(audit.changed_item(act, a.changes))
    audit.record_items(
        chain(made, _activities_created(creates, writes.activities_created, activity_rows, by_pk), changed)
    )


def _activities_created(creates, ids: list[int], activity_rows: list[tuple], by_pk: dict) -> Iterator[audit.Item]:
    """The entry of each activity created, every field, made as it is written (thousands of them); they
    read nothing from the database."""
    audited = [(k, i) for i, k in enumerate(ACTIVITY_COLUMNS) if k != "version"]
    at_commitment, plain = ACTIVITY_COLUMNS.index("commitment"), audit.plain
    for a, pk, row in zip(creates, ids, activity_rows, strict=True):
        ref = a.sub_ref or by_pk[row[at_commitment]].ref
        values = {k: [None, plain(row[i])] for k, i in audited}
        yield audit.Action.CREATE, "delivery.activity", pk, f"{ref} {a.text[:80]}", values


def _linked(trail: list[list]) -> list[list]:
    """A new activity's whole trail (UPDATE_COLUMNS rows, in the order they will get their ids) with
    next_on and next_text_on filled in place, as LINK_TRAILS_SQL would: ordered by (on, id), each
    update's next_on is the next one's date, and among those with text, next_text_on the next with text's."""
    next_on = next_text_on = None
    for row in reversed(sorted(trail, key=lambda r: r[1])):  # stable sort: ties keep id order, walked back
        row[NEXT_ON] = next_on
        next_on = row[1]
        if row[5]:
            row[NEXT_TEXT_ON] = next_text_on
            next_text_on = row[1]
    return trail


def _lock_activities(ids: list[int], *, chunk: int = 900) -> dict[int, Activity]:
    """The activities with these ids, read afresh and locked (SELECT ... FOR UPDATE) in id order, in
    chunks that stay under SQLite's parameter limit. Held until the apply's transaction ends."""
    locked: dict[int, Activity] = {}
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        for act in Activity.objects.select_for_update().filter(pk__in=part).order_by("pk"):
            locked[act.pk] = act
    return locked


def _d(value) -> date | None:
    return date.fromisoformat(value) if value else None
