"""The change set a parsed workbook makes to a delivery plan: create / update (field by field) / unchanged.

Reads the delivery plan in a fixed number of queries. The change set is plain data (JSON-ready) so the
preview can be stored, shown, and checked again at apply time. It satisfies core's `ChangeSet` protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.tabular.problems import Problem

from ..models import Activity, Commitment, OversightBody, Owner, Plan, ProgressUpdate, Rag, Section, Status
from .layouts import ParsedActivity, ParsedWorkbook

KINDS = ("objectives", "sections", "commitments", "activities", "updates")


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


@dataclass
class ActivityChange:
    """What one row does to one activity."""

    action: str  # create | update | unchanged
    sheet: str
    row: int
    ref: str
    sub_ref: str
    text: str
    commitment_key: str  # the commitment's ref
    position: int
    activity_id: int | None = None
    version: int | None = None
    rag_as_written: str = ""  # the rating as the workbook wrote it, when it was mapped ("Amber/Green")
    fields: dict = field(default_factory=dict)  # field -> new value (JSON-ready)
    changes: dict = field(default_factory=dict)  # field -> [before, after] (for the preview)
    updates: list[dict] = field(default_factory=list)  # new progress updates: {"on", "text"}


@dataclass
class ChangeSet:
    """What a workbook would change in a delivery plan (`plan_id` None: a plan to be created)."""

    plan_name: str
    plan_id: int | None
    layout: str
    as_at: date
    objectives: list[dict] = field(default_factory=list)  # {"action", "title", "order", "id"}
    sections: list[dict] = field(default_factory=list)  # {"action", "objective", "title", "order", "id"}
    commitments: list[dict] = field(default_factory=list)  # {"action", "ref", "text", "objective", "section", ...}
    activities: list[ActivityChange] = field(default_factory=list)
    new_owners: list[str] = field(default_factory=list)
    new_bodies: list[str] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    as_at_reason: str = ""  # where the update date came from, when it was suggested
    sheet_info: list[dict] = field(default_factory=list)  # what was understood of each sheet's columns
    unknown_values: list[dict] = field(default_factory=list)  # RAG and status values to map
    other_plan: dict = field(default_factory=dict)  # the workbook came from another plan: {"from", "into"}
    rules: list[str] = field(default_factory=list)  # value rules used (the five-level rule)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        out = {k: {kind: 0 for kind in KINDS} for k in ("created", "updated", "unchanged")}
        names = {"create": "created", "update": "updated", "unchanged": "unchanged"}
        for kind, items in (
            ("objectives", self.objectives),
            ("sections", self.sections),
            ("commitments", self.commitments),
        ):
            for item in items:
                out[names[item["action"]]][kind] += 1
        for a in self.activities:
            out[names[a.action]]["activities"] += 1
            out["created"]["updates"] += len(a.updates) + (
                1 if a.action == "update" and a.fields and not a.updates else 0
            )
        return out

    def versions_seen(self) -> dict[str, int]:
        """{activity id: version} of every existing activity the file's rows match, changed or not: apply
        plans again against the database, and an activity left unchanged here but edited by someone
        before apply must show up there as a conflict, not be overwritten."""
        return {str(a.activity_id): a.version for a in self.activities if a.activity_id}

    def as_json(self) -> dict:
        return {
            "plan": self.plan_name,
            "plan_id": self.plan_id,
            "layout": self.layout,
            "as_at": self.as_at.isoformat(),
            **self.counts(),
            "missing": self.missing,
            "warnings": [w.as_json() for w in self.warnings],
            "errors": [e.as_json() for e in self.errors],
            "skipped": self.skipped,
            "sheets": self.sheets,
            "objectives": self.objectives,
            "sections": self.sections,
            "commitments": self.commitments,
            "activities": [a.__dict__ for a in self.activities],
            "new_owners": self.new_owners,
            "new_bodies": self.new_bodies,
            "as_at_reason": self.as_at_reason,
            "sheet_info": self.sheet_info,
            "unknown_values": self.unknown_values,
            "other_plan": self.other_plan,
            "rules": self.rules,
            "notes": self.notes,
            "new_plan": self.plan_id is None,
        }


def name_key(text: str) -> str:
    """A name as names are matched: case and spacing do not count."""
    return " ".join(text.lower().split())


def build_change_set(parsed: ParsedWorkbook, *, plan_name: str, as_at: date, plan_id: int | None = None) -> ChangeSet:
    plan = Plan.objects.filter(pk=plan_id).first() if plan_id else None
    plan = plan or Plan.objects.filter(name__iexact=plan_name).first()
    result = ChangeSet(
        plan_name=plan.name if plan else plan_name,
        plan_id=plan.pk if plan else None,
        layout=parsed.layout,
        as_at=as_at,
        skipped=parsed.skipped,
        warnings=list(parsed.warnings),
        errors=list(parsed.errors),
        sheet_info=parsed.sheet_info,
        unknown_values=parsed.unknown_values,
        notes=list(parsed.notes),
    )
    result.sheets = [
        {"sheet": s.name, "layout": s.layout, "commitments": len(s.commitments), "activities": s.activity_count}
        for s in parsed.sheets
    ]

    objectives = {name_key(o.title): o for o in (plan.objectives.all() if plan else [])}
    sections = (
        {(s.objective_id, name_key(s.title)): s for s in Section.objects.filter(objective__plan=plan)} if plan else {}
    )
    commitments = (
        {c.ref: c for c in Commitment.objects.filter(plan=plan).select_related("objective", "section")} if plan else {}
    )
    activities_by_commitment: dict[int, list[Activity]] = {}
    if plan:
        # Plain tuples rather than prefetched model objects: a plan of 5,000 activities has ~25,000 updates.
        in_plan = {"activity__commitment__plan": plan}
        owner_names: dict[int, list[str]] = {}
        for activity_id, name in Activity.owners.through.objects.filter(**in_plan).values_list(
            "activity_id", "owner__name"
        ):
            owner_names.setdefault(activity_id, []).append(name)
        body_names: dict[int, list[str]] = {}
        for activity_id, name in Activity.oversight_bodies.through.objects.filter(**in_plan).values_list(
            "activity_id", "oversightbody__name"
        ):
            body_names.setdefault(activity_id, []).append(name)
        trail: dict[int, set] = {}
        for activity_id, on, text in (
            ProgressUpdate.objects.filter(**in_plan).exclude(text="").values_list("activity_id", "on", "text")
        ):
            trail.setdefault(activity_id, set()).add((on, text.strip()))
        for a in Activity.objects.filter(commitment__plan=plan).order_by("commitment_id", "position", "pk"):
            a.owner_names = sorted(owner_names.get(a.pk, []), key=str.lower)
            a.body_names = sorted(body_names.get(a.pk, []), key=str.lower)
            a.trail = trail.get(a.pk, set())
            activities_by_commitment.setdefault(a.commitment_id, []).append(a)
    known_owners = {name_key(n) for n in Owner.objects.values_list("name", flat=True)}
    known_bodies = {name_key(n) for n in OversightBody.objects.values_list("name", flat=True)}

    next_objective = max((o.order for o in objectives.values()), default=0)
    planned_objectives: dict[str, dict] = {}
    planned_sections: dict[tuple[str, str], dict] = {}
    matched_ids: set[int] = set()

    for sheet in parsed.sheets:
        for c in sheet.commitments:
            okey = name_key(c.objective)
            if okey not in planned_objectives:
                existing = objectives.get(okey)
                if existing:
                    planned_objectives[okey] = {
                        "action": "unchanged",
                        "title": existing.title,
                        "order": existing.order,
                        "id": existing.pk,
                    }
                else:
                    next_objective += 1
                    planned_objectives[okey] = {
                        "action": "create",
                        "title": c.objective,
                        "order": c.objective_order or next_objective,
                        "id": None,
                    }
                result.objectives.append(planned_objectives[okey])
            obj = planned_objectives[okey]
            skey = (okey, name_key(c.section))
            if c.section and skey not in planned_sections:
                existing_s = sections.get((obj["id"], name_key(c.section))) if obj["id"] else None
                if existing_s:
                    planned_sections[skey] = {
                        "action": "unchanged",
                        "objective": obj["title"],
                        "title": existing_s.title,
                        "order": existing_s.order,
                        "id": existing_s.pk,
                    }
                else:
                    order = c.section_order or 1 + sum(1 for k in planned_sections if k[0] == okey) + sum(
                        1
                        for (oid, _), s in sections.items()
                        if oid == obj["id"] and (okey, name_key(s.title)) not in planned_sections
                    )
                    planned_sections[skey] = {
                        "action": "create",
                        "objective": obj["title"],
                        "title": c.section,
                        "order": order,
                        "id": None,
                    }
                result.sections.append(planned_sections[skey])
            # The commitment.
            existing_c = commitments.get(c.ref)
            entry = {
                "ref": c.ref,
                "text": c.text,
                "objective": obj["title"],
                "section": c.section,
                "sheet": c.sheet,
                "row": c.row,
                "id": existing_c.pk if existing_c else None,
                "changes": {},
            }
            if c.publish is not None:
                entry["publish"] = c.publish
            if existing_c is None:
                entry["action"] = "create"
            else:
                ch = entry["changes"]
                if c.text and existing_c.text != c.text:
                    ch["text"] = [existing_c.text, c.text]
                if name_key(existing_c.objective.title) != okey:
                    ch["objective"] = [existing_c.objective.title, obj["title"]]
                current_section = existing_c.section.title if existing_c.section else ""
                if name_key(current_section) != name_key(c.section) and (c.section or sheet.layout == "native"):
                    ch["section"] = [current_section, c.section]
                if c.publish is not None and c.publish != existing_c.publish:
                    ch["publish"] = [existing_c.publish, c.publish]
                entry["action"] = "update" if ch else "unchanged"
            result.commitments.append(entry)
            # Its activities: by sub-reference, else by position among those without one.
            current = activities_by_commitment.get(existing_c.pk, []) if existing_c else []
            by_sub = {a.sub_ref: a for a in current if a.sub_ref}
            plain = [a for a in current if not a.sub_ref]
            plain_index = 0
            for position, pa in enumerate(c.activities, start=1):
                if pa.sub_ref:
                    match = by_sub.get(pa.sub_ref)
                elif pa.native and pa.position is not None:
                    # The tracker's own workbook says each activity's position, so a workbook of only
                    # some activities (an update round's) still matches each row to its own activity.
                    match = next((a for a in plain if a.position == pa.position), None)
                    plain_index += 1
                else:
                    match = plain[plain_index] if plain_index < len(plain) else None
                    plain_index += 1
                change = _activity_change(pa, match, ref=c.ref, position=position, as_at=as_at, result=result)
                if match is not None:
                    matched_ids.add(match.pk)
                result.activities.append(change)
                for names, known, new, what in (
                    (
                        pa.owners,
                        known_owners,
                        result.new_owners,
                        'Owner "{}" is new to the tracker; it will be added to the list of owners.',
                    ),
                    (
                        pa.oversight,
                        known_bodies,
                        result.new_bodies,
                        'Oversight body "{}" is new to the tracker; it will be added.',
                    ),
                ):
                    for name in names:
                        if name_key(name) not in known:
                            known.add(name_key(name))
                            new.append(name)
                            result.warnings.append(Problem(pa.sheet, pa.row, None, what.format(name), "warning"))
    if plan:
        commitment_by_pk = {c.pk: c for c in commitments.values()}
        for acts in activities_by_commitment.values():
            for a in acts:
                if a.pk not in matched_ids:
                    c = commitment_by_pk[a.commitment_id]
                    result.missing.append({"ref": c.ref, "sub_ref": a.sub_ref, "text": a.text, "activity_id": a.pk})
    return result


def _activity_change(
    pa: ParsedActivity, match: Activity | None, *, ref: str, position: int, as_at: date, result: ChangeSet
) -> ActivityChange:
    change = ActivityChange(
        action="create" if match is None else "unchanged",
        sheet=pa.sheet,
        row=pa.row,
        ref=ref,
        sub_ref=pa.sub_ref,
        text=pa.text,
        commitment_key=ref,
        position=position,
    )
    wanted: dict = {"text": pa.text, "sub_ref": pa.sub_ref}
    if pa.has_owners:
        wanted["owner_text"] = pa.owner_text
        wanted["owners"] = sorted(pa.owners, key=str.lower)
    if pa.has_oversight:
        wanted["oversight"] = sorted(pa.oversight, key=str.lower)
    if pa.has_dates:
        wanted.update(start_date=_iso(pa.start), due_date=_iso(pa.due), date_text=pa.date_text)
    if pa.rag is not None:
        wanted["rag"] = pa.rag
    status = pa.status
    # The reopen rule (as in services.activity_record_update): Red or Amber on a complete or closed
    # activity would hide behind "Complete". Such a row reopens it (In progress), and the preview says so.
    ended = (Status.COMPLETE, Status.CLOSED)
    closing = status if status is not None else (match.status if match is not None else None)
    rated_now = match is None or pa.rag != match.rag or status in ended or closing == Status.COMPLETE
    if pa.rag in (Rag.RED, Rag.AMBER) and closing in ended and rated_now:
        result.warnings.append(
            Problem(
                pa.sheet,
                pa.row,
                None,
                (
                    f"Rated {Rag(pa.rag).label} but {Status(closing).label.lower()}: a Red or Amber rating would be "
                    "hidden by Complete, so the activity will be reopened (status In progress). If it is finished, "
                    "rate it Green or leave the RAG blank."
                ),
                "warning",
            )
        )
        status = Status.IN_PROGRESS
    elif status is None and match is not None and pa.rag is not None and match.status == Status.COMPLETE:
        status = Status.IN_PROGRESS  # no longer rated Complete: reopened
    if status is None and match is None:
        status = Status.IN_PROGRESS if (pa.rag or pa.updates) else Status.NOT_STARTED
    if status is not None:
        wanted["status"] = status
    if pa.publish is not None:
        wanted["publish"] = pa.publish

    # Progress entries not already in the activity's trail become new updates, clamped into
    # (latest update, import date]; undated ones take the import date.
    known = match.trail if match else set()
    known_texts = {t for _, t in known}
    floor = match.last_update_on if match else None
    for entry in pa.updates:
        on = entry.on or as_at
        if (on, entry.text) in known or (entry.on is None and entry.text in known_texts):
            continue
        if match and match.progress.strip() == entry.text:
            continue
        if pa.native and match is not None:
            # The plan's own workbook: a changed progress cell is news as at this import's update date,
            # whatever its "Latest update date" cell (the previous update's date) says.
            on = as_at
        if on > as_at:
            result.warnings.append(
                Problem(
                    pa.sheet,
                    pa.row,
                    None,
                    (f"The update dated {on:%d/%m/%Y} is in the future; it is recorded as at {as_at:%d/%m/%Y}."),
                    "warning",
                )
            )
            on = as_at
        if floor and on < floor:
            result.warnings.append(
                Problem(
                    pa.sheet,
                    pa.row,
                    None,
                    (
                        f"The update dated {on:%d/%m/%Y} is older than the activity's latest update "
                        f"({floor:%d/%m/%Y}); it is recorded as at {floor:%d/%m/%Y}."
                    ),
                    "warning",
                )
            )
            on = floor
        # An entry with no date of its own is recorded as at the import's update date, and says so:
        # that date is never shown as if it were the update's.
        # (The plan's own workbook dates a changed cell by the import on purpose, above: that is its date.)
        undated = {"undated": True} if entry.on is None and not (pa.native and match is not None) else {}
        change.updates.append({"on": on.isoformat(), "text": entry.text, **undated})
        floor = on

    if match is None:
        change.fields = wanted
        change.rag_as_written = pa.rag_written
        return change
    change.activity_id, change.version = match.pk, match.version
    current = {
        "text": match.text,
        "sub_ref": match.sub_ref,
        "owner_text": match.owner_text,
        "owners": match.owner_names,
        "oversight": match.body_names,
        "start_date": _iso(match.start_date),
        "due_date": _iso(match.due_date),
        "date_text": match.date_text,
        "rag": match.rag,
        "status": match.status,
        "publish": match.publish,
    }
    for name, value in wanted.items():
        if name in ("owners", "oversight"):
            same = [name_key(v) for v in value] == [name_key(v) for v in current[name]]
        else:
            same = current[name] == value
        if not same:
            change.fields[name] = value
            change.changes[name] = [current[name], value]
    if change.updates:
        change.changes["progress"] = [match.progress, change.updates[-1]["text"]]
    change.action = "update" if (change.fields or change.updates) else "unchanged"
    if pa.rag_written and "rag" in change.fields:
        change.rag_as_written = pa.rag_written
    return change
