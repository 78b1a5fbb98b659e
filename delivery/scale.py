"""Data at the size of a whole region, for benchmarks and load tests (`manage.py seed_scale`).

Plans for several forces, each with four objectives and two sections, commitments and activities
drawn from the demo plan's wording, owners and oversight bodies from a shared pool, and a trail of
progress updates per activity whose last entry equals the activity's state (as the services keep
it). RAG, status and due dates are spread the way real plans are: most Green and in progress, a
quarter Amber, some Red, some complete; due dates two years either side of today.

Written in bulk: PostgreSQL COPY (psycopg) inside one transaction, or executemany on SQLite. Rows are
built as tuples, never as model instances. Seeded, so the same arguments give the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from core.dates import today as today_
from core.text import natural_key

from . import demo_content as content
from .models import Activity, Commitment, Objective, OversightBody, Owner, Plan, ProgressUpdate, Section

FORCES = (
    "Severn Vale", "Marches", "Wyre and Teme", "Cotswold Edge", "Malvern Hills", "Forest of Dean",
    "Lugg Valley", "Clee Hills", "Vale of Evesham", "Black Country Fringe",
)  # fmt: skip
RAG_WEIGHTS = (("G", 55), ("A", 25), ("R", 10), ("", 10))
STATUS_WEIGHTS = (("in_progress", 55), ("not_started", 15), ("complete", 20), ("on_hold", 5), ("closed", 5))
TEXT_KEY = {"complete": "complete", "on_hold": "on_hold", "closed": "closed", "not_started": "not_started"}
RAG_TEXT = {"G": "green", "A": "amber", "R": "red", "": "green"}

# Other apps add their own data at scale (measures, observations, meetings) by registering a step:
#   scale.register_step(fn)  with fn(*, options: dict, rng: random.Random, plans: list[Plan]) -> dict
_steps: list[Callable[..., dict]] = []


def register_step(step: Callable[..., dict]) -> None:
    if step not in _steps:
        _steps.append(step)


@dataclass
class ScaleResult:
    counts: dict[str, int] = field(default_factory=dict)


def _weighted(rng: random.Random, weights: Sequence[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weights], weights=[w[1] for w in weights])[0]


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _write(model, columns: Sequence[str], rows: Iterable[tuple], *, table: str | None = None) -> int:
    """Write rows (tuples in `columns` order) to the model's table: COPY on PostgreSQL, executemany elsewhere."""
    table = table or model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cols = ", ".join(f'"{c}"' for c in columns)
            with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            cols = ", ".join(f'"{c}"' for c in columns)
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 5000:
                    cursor.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', batch)  # noqa: S608
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', batch)  # noqa: S608
                count += len(batch)
    return count


def _reset_sequences(models: Iterable) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 1)) FROM \"{table}\""  # noqa: S608
            )


def _pool() -> list[dict]:
    """The demo plan's commitments, with their activities' wording."""
    return [c for o in content.OBJECTIVES for s in o["sections"] for c in s["commitments"]]


@transaction.atomic
def seed_scale(*, activities: int, updates: int, seed: int = 20261129, options: dict | None = None) -> ScaleResult:
    """Add `activities` supporting activities with `updates` progress updates in all (at least one each)."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    today = today_()
    result = ScaleResult()
    n_plans = max(1, min(len(FORCES), activities // 2000 or 1))
    per_plan = [activities // n_plans + (1 if i < activities % n_plans else 0) for i in range(n_plans)]
    pool = _pool()
    now = timezone.now()

    owners = _owners(rng)
    bodies = _bodies()
    plan_ids, objective_rows, section_rows, commitment_rows = [], [], [], []
    next_plan, next_obj, next_sec, next_com = (_next_id(m) for m in (Plan, Objective, Section, Commitment))
    existing = set(Plan.objects.values_list("name", flat=True))
    plans_to_write = []
    for i in range(n_plans):
        name = f"Safer {FORCES[i]} Plan 2024-2028"
        k = 2
        while name in existing:
            name = f"Safer {FORCES[i]} Plan 2024-2028 ({k})"
            k += 1
        existing.add(name)
        pid = next_plan + i
        plan_ids.append(pid)
        slug = name.lower().replace(" ", "-").replace("(", "").replace(")", "")
        plans_to_write.append((pid, name, slug, f"The delivery plan for {FORCES[i]}.", now))
    _write(Plan, ("id", "name", "slug", "description", "created_at"), plans_to_write)

    activity_rows: list[tuple] = []
    owner_links: list[tuple[int, int]] = []
    body_links: list[tuple[int, int]] = []
    trails: list[tuple[int, dict]] = []
    next_act = _next_id(Activity)
    act_id = next_act
    for p, pid in enumerate(plan_ids):
        sections_of_plan = []
        for o_index, objective in enumerate(content.OBJECTIVES):
            oid = next_obj
            next_obj += 1
            objective_rows.append((oid, pid, o_index + 1, objective["title"]))
            for s_index, section in enumerate(objective["sections"][:2]):
                sid = next_sec
                next_sec += 1
                section_rows.append((sid, oid, s_index + 1, section["title"]))
                sections_of_plan.append((oid, sid, o_index + 1))
        n_commitments = max(1, per_plan[p] // 4)
        for c in range(n_commitments):
            oid, sid, o_order = sections_of_plan[c % len(sections_of_plan)]
            cid = next_com
            next_com += 1
            ref = f"{o_order}.{c // len(sections_of_plan) + 1}.{c % len(sections_of_plan) + 1}"
            source = pool[c % len(pool)]
            commitment_rows.append((cid, pid, oid, sid, ref, natural_key(ref), source["text"], True))
            for position in range(1, per_plan[p] // n_commitments + (1 if c < per_plan[p] % n_commitments else 0) + 1):
                spec = source["activities"][(position - 1) % len(source["activities"])]
                sub_ref = f"{ref}.{position}"
                status = _weighted(rng, STATUS_WEIGHTS)
                rag = _weighted(rng, RAG_WEIGHTS)
                due = today + timedelta(days=rng.randint(-500, 1000))
                start = due - timedelta(days=rng.randint(90, 540)) if rng.random() < 0.4 else None
                created = today - timedelta(days=rng.randint(400, 1100))
                names = rng.sample(owners, k=rng.choice((1, 1, 2, 3)))
                owner_text = " / ".join(n for n, _ in names)
                activity_rows.append(
                    [act_id, cid, position, sub_ref, natural_key(sub_ref), spec["text"], owner_text, start, due,
                     f"{due:%b %y}", status, rag, "", None, None, rng.random() > 0.03, 1, created]
                )  # fmt: skip
                owner_links.extend((act_id, oid_) for _, oid_ in names)
                body_links.append((act_id, bodies[rng.randrange(len(bodies))]))
                trails.append((act_id, {"status": status, "rag": rag, "due": due, "start": start, "created": created}))
                act_id += 1

    _write(Objective, ("id", "plan_id", "order", "title"), objective_rows)
    _write(Section, ("id", "objective_id", "order", "title"), section_rows)
    commitment_columns = ("id", "plan_id", "objective_id", "section_id", "ref", "ref_key", "text", "publish")
    _write(Commitment, commitment_columns, commitment_rows)

    # Each activity's trail: created, then updates every few weeks up to its current state.
    n = len(trails)
    extra = max(0, updates - n)
    update_rows: list[tuple] = []
    next_upd = _next_id(ProgressUpdate)
    upd_id = next_upd
    for index, (aid, st) in enumerate(trails):
        k = extra // n + (1 if index < extra % n else 0)
        span = max(1, (today - st["created"]).days)
        days = sorted(rng.sample(range(1, span), k=min(k, span - 1))) if k else []
        row = activity_rows[index]
        history = [(st["created"], "created", "", "", "not_started")]
        for j, d in enumerate(days):
            last = j == len(days) - 1
            status = st["status"] if last else ("in_progress" if j else "not_started")
            rag = st["rag"] if last else _weighted(rng, RAG_WEIGHTS)
            key = TEXT_KEY.get(status, RAG_TEXT[rag])
            texts = content.UPDATE_TEXTS[key]
            history.append((st["created"] + timedelta(days=d), "update", texts[rng.randrange(len(texts))], rag, status))
        if not days:  # a single entry: it must carry the activity's state
            history[0] = (st["created"], "created", "", st["rag"], st["status"])
        # History is in (on, id) order: each entry is superseded by the next (and, among entries with
        # text, by the next with text): the next_on / next_text_on that link_trails() would compute.
        next_text = None
        linked = []
        for pos in range(len(history) - 1, -1, -1):
            on, kind, text, rag, status = history[pos]
            next_on = history[pos + 1][0] if pos + 1 < len(history) else None
            linked.append((on, kind, text, rag, status, next_on, next_text if text else None))
            if text:
                next_text = on
        for on, kind, text, rag, status, next_on, next_text_on in reversed(linked):
            update_rows.append(
                (upd_id, aid, on, kind, "", text, rag, status, st["start"], st["due"], "{}", "", now, None,
                 next_on, next_text_on)
            )  # fmt: skip
            upd_id += 1
        last_on, last_text = history[-1][0], next((h for h in reversed(history) if h[2]), None)
        row[12] = last_text[2] if last_text else ""
        row[13] = last_text[0] if last_text else None
        row[14] = last_on
        row[16] = len(history)

    _write(
        Activity,
        ("id", "commitment_id", "position", "sub_ref", "sub_ref_key", "text", "owner_text", "start_date", "due_date",
         "date_text", "status", "rag", "progress", "progress_on", "last_update_on", "publish", "version",
         "created_on"),
        (tuple(r) for r in activity_rows),
    )  # fmt: skip
    _write(Activity.owners.through, ("activity_id", "owner_id"), owner_links)
    _write(Activity.oversight_bodies.through, ("activity_id", "oversightbody_id"), body_links)
    _write(
        ProgressUpdate,
        ("id", "activity_id", "on", "kind", "author_name", "text", "rag", "status", "start_date", "due_date",
         "changes", "source", "recorded_at", "author_id", "next_on", "next_text_on"),
        update_rows,
    )  # fmt: skip
    _reset_sequences((Plan, Objective, Section, Commitment, Activity, ProgressUpdate, Owner, OversightBody))
    result.counts = {
        "plans": len(plan_ids),
        "objectives": len(objective_rows),
        "commitments": len(commitment_rows),
        "activities": len(activity_rows),
        "updates": len(update_rows),
    }
    plans = list(Plan.objects.filter(pk__in=plan_ids))
    for step in _steps:
        result.counts.update(step(options=options or {}, rng=rng, plans=plans))
    return result


def _owners(rng: random.Random) -> list[tuple[str, int]]:
    """A pool of about 300 owner names (the demo's, and ranks with surnames), created if missing."""
    surnames = (
        "Paley", "Preece", "Haldane", "Okafor", "Marwood", "Tennant", "Brightwell", "Ashdown", "Sandhu", "Llewellyn",
        "Price", "Morgan", "Hughes", "Evans", "Powell", "Bevan", "Griffiths", "Pritchard", "Harris", "Lloyd",
    )  # fmt: skip
    ranks = ("Supt", "Ch Supt", "CI", "DCI", "Insp", "DI", "Sgt", "PS", "Head of", "Manager")
    names = list(dict.fromkeys([*content.OWNERS, *(f"{r} {s}" for r in ranks for s in surnames)]))[:300]
    existing = dict(Owner.objects.filter(name__in=names).values_list("name", "pk"))
    missing = [n for n in names if n not in existing]
    if missing:
        start = _next_id(Owner)
        rows = ((start + i, n, False, None) for i, n in enumerate(missing))
        _write(Owner, ("id", "name", "is_team", "user_id"), rows)
        _reset_sequences((Owner,))
        existing = dict(Owner.objects.filter(name__in=names).values_list("name", "pk"))
    return sorted(existing.items())


def _bodies() -> list[int]:
    for b in content.OVERSIGHT_BODIES:
        OversightBody.objects.get_or_create(
            name=b["name"],
            defaults={k: b[k] for k in ("purpose", "frequency", "notes_published", "meets_in_public") if k in b},
        )
    return list(OversightBody.objects.values_list("pk", flat=True))


# Public names for the other apps' scale steps (kpis/scale.py, meetings/scale.py).
write_rows = _write
next_id = _next_id
reset_sequences = _reset_sequences
weighted = _weighted
