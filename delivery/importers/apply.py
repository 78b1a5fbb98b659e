"""Apply a delivery plan's change set in one transaction with bulk writes. Called by the plan importer only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max

from core import audit
from core.tabular.importer import Outcome
from core.text import author_name, natural_key

from ..models import (
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


@dataclass
class PlanOutcome(Outcome):
    """What apply did, and the delivery plan it went into."""

    plan: Plan | None = None


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
    Owner.objects.bulk_create([Owner(name=n) for n in cs.new_owners if name_key(n) not in owners])
    owners = {name_key(o.name): o for o in Owner.objects.all()}
    bodies = {name_key(b.name): b for b in OversightBody.objects.all()}
    OversightBody.objects.bulk_create([OversightBody(name=n) for n in cs.new_bodies if name_key(n) not in bodies])
    bodies = {name_key(b.name): b for b in OversightBody.objects.all()}

    # Commitments.
    commitments = {c.ref: c for c in Commitment.objects.filter(plan=plan)}
    to_create, to_update = [], []
    for c in cs.commitments:
        objective = objectives[name_key(c["objective"])]
        section = sections.get((objective.pk, name_key(c["section"]))) if c["section"] else None
        if c["action"] == "create" and c["ref"] not in commitments:
            obj = Commitment(
                plan=plan,
                objective=objective,
                section=section,
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
    Commitment.objects.bulk_create(to_create)
    Commitment.objects.bulk_update(to_update, ["text", "objective", "section", "publish"])
    result.created["commitments"], result.updated["commitments"] = len(to_create), len(to_update)

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

    def imported(
        act: Activity, on: date, text: str, changes: dict | None = None, undated: bool = False
    ) -> ProgressUpdate:
        """A progress update written by this import, recording the state it leaves the activity in."""
        return ProgressUpdate(
            activity=act,
            on=on,
            kind=ProgressUpdate.Kind.IMPORT,
            author=by,
            author_name=author,
            text=text,
            rag=act.rag,
            status=act.status,
            start_date=act.start_date,
            due_date=act.due_date,
            changes=changes or {},
            source=source,
            undated=undated,
        )

    new_activities, new_updates, owner_rows, body_rows = [], [], [], []
    positions = dict(
        Activity.objects.filter(commitment__plan=plan)
        .values("commitment_id")
        .annotate(m=Max("position"))
        .values_list("commitment_id", "m")
    )
    for a in creates:
        f = a.fields
        commitment = commitments[a.commitment_key]
        dates = [date.fromisoformat(u["on"]) for u in a.updates]
        created_on = min([*dates, cs.as_at])
        last = a.updates[-1] if a.updates else None
        pos = positions.get(commitment.pk, 0) + 1
        positions[commitment.pk] = pos
        new_activities.append(
            Activity(
                commitment=commitment,
                position=pos,
                sub_ref=a.sub_ref,
                sub_ref_key=natural_key(a.sub_ref),
                text=a.text,
                owner_text=f.get("owner_text", ""),
                start_date=_d(f.get("start_date")),
                due_date=_d(f.get("due_date")),
                date_text=f.get("date_text", ""),
                status=f["status"],
                rag=f.get("rag") or "",
                progress=last["text"] if last else "",
                progress_on=date.fromisoformat(last["on"]) if last and not last.get("undated") else None,
                last_update_on=max([*dates, created_on]),
                created_on=created_on,
                publish=f.get("publish", True),
                version=1,
            )
        )
    Activity.objects.bulk_create(new_activities, batch_size=1000)
    for a, act in zip(creates, new_activities, strict=True):
        f = a.fields
        owner_rows += [(act.pk, owners[name_key(n)].pk) for n in f.get("owners", [])]
        body_rows += [(act.pk, bodies[name_key(n)].pk) for n in f.get("oversight", [])]
        new_updates.append(
            ProgressUpdate(
                activity=act,
                on=act.created_on,
                kind=ProgressUpdate.Kind.CREATED,
                author=by,
                author_name=author,
                rag=act.rag,
                status=act.status,
                start_date=act.start_date,
                due_date=act.due_date,
                changes={"rag_as_written": ["", a.rag_as_written]} if a.rag_as_written else {},
                source=source,
            )
        )
        new_updates += [
            imported(act, date.fromisoformat(u["on"]), u["text"], undated=u.get("undated", False)) for u in a.updates
        ]
    result.created["activities"] = len(new_activities)

    updated_objs, replace_owners, replace_bodies = [], [], []
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
        for i, u in enumerate(entries):
            on = date.fromisoformat(u["on"])
            new_updates.append(
                imported(act, on, u["text"], field_changes if i == len(entries) - 1 else None, u.get("undated", False))
            )
            act.last_update_on = max(on, act.last_update_on or on)
            if u["text"]:
                act.progress, act.progress_on = u["text"], None if u.get("undated") else on
        act.version += 1  # `act` is the row read under the lock: its version is the current one
        updated_objs.append(act)
    Activity.objects.bulk_update(
        updated_objs,
        [
            "text",
            "sub_ref",
            "sub_ref_key",
            "owner_text",
            "date_text",
            "rag",
            "status",
            "publish",
            "start_date",
            "due_date",
            "progress",
            "progress_on",
            "last_update_on",
            "version",
        ],
        batch_size=1000,
    )
    result.updated["activities"] = len(updated_objs)
    Activity.owners.through.objects.filter(activity_id__in=replace_owners).delete()
    Activity.oversight_bodies.through.objects.filter(activity_id__in=replace_bodies).delete()
    Activity.owners.through.objects.bulk_create(
        [Activity.owners.through(activity_id=a, owner_id=o) for a, o in dict.fromkeys(owner_rows)], batch_size=2000
    )
    Activity.oversight_bodies.through.objects.bulk_create(
        [Activity.oversight_bodies.through(activity_id=a, oversightbody_id=b) for a, b in dict.fromkeys(body_rows)],
        batch_size=2000,
    )
    ProgressUpdate.objects.bulk_create(new_updates, batch_size=2000)
    link_trails({u.activity_id for u in new_updates})  # the trails these updates extend
    result.created["updates"] = sum(1 for u in new_updates if u.kind != ProgressUpdate.Kind.CREATED)
    # --- audit trail (issue 15): the bulk writes above fire no signals, so record each object here. ---
    new_owners = Owner.objects.filter(name__in=cs.new_owners) if cs.new_owners else []
    new_bodies = OversightBody.objects.filter(name__in=cs.new_bodies) if cs.new_bodies else []
    by_pk = {c.pk: c for c in commitments.values()}
    for act in updated_objs:  # the entry names each activity by its commitment's ref: no query per row
        act.commitment = by_pk.get(act.commitment_id) or act.commitment
    audit.record_many(
        [audit.created_entry(o) for o in (*new, *new_sections, *new_owners, *new_bodies, *to_create)]
        + [audit.changed_entry(commitments[c["ref"]], c["changes"]) for c in cs.commitments if c["action"] == "update"]
        + [audit.created_entry(a) for a in new_activities]
        + [audit.changed_entry(current[a.activity_id], a.changes) for a in changes]
        + [audit.created_entry(u) for u in new_updates]
    )
    # --- end of audit trail ---
    return result


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
