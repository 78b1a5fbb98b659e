"""Holding to account at the size of a whole region, for `manage.py seed_scale --meetings N`.

Registered with delivery.scale. Meetings a month or so apart going back from today (mostly formal,
some thematic, a few public; most approved or published, the latest few drafts), each with three
agenda items, two key findings and three actions (owners, a due date, an opening entry in the
action's trail and, for those done or closed, the entry that closed them). Wording from the demo.
Bulk writes (COPY on PostgreSQL); rows are tuples.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from core.dates import today as today_
from delivery import scale
from delivery.models import Activity, OversightBody, Owner, Plan

from .demo import ACTIONS, FINDINGS, FORMAL_SUBJECTS, PUBLIC_SUBJECTS, THEMATIC_SUBJECTS
from .models import Action, ActionUpdate, AgendaItem, Finding, Meeting

AGENDA = ("Apologies and minutes of the last meeting", "Action log", "Any other business")


def seed_meetings(*, options: dict, rng: random.Random, plans: list[Plan]) -> dict[str, int]:
    n = int(options.get("meetings") or 0)
    if n <= 0:
        return {}
    today = today_()
    now = timezone.now()
    owners = list(Owner.objects.order_by("pk").values_list("pk", flat=True)[:300])
    bodies = list(OversightBody.objects.order_by("pk").values_list("pk", flat=True))
    activities = list(
        Activity.objects.filter(commitment__plan__in=plans).order_by("pk").values_list("pk", "commitment_id")[:2000]
    )
    meeting_rows, agenda_rows, finding_rows, action_rows, owner_links, update_rows = [], [], [], [], [], []
    mid, aid = scale.next_id(Meeting), scale.next_id(Action)
    for i in range(n):
        held = today - timedelta(days=3 + i * 9 + rng.randint(0, 4))
        roll = rng.random()
        kind, subjects = (
            ("formal", FORMAL_SUBJECTS)
            if roll < 0.7
            else (("thematic", THEMATIC_SUBJECTS) if roll < 0.93 else ("public", PUBLIC_SUBJECTS))
        )
        state = "draft" if i < 3 else ("published" if rng.random() < 0.6 else "approved")
        published_on = held + timedelta(days=14) if state == "published" else None
        subject = subjects[rng.randrange(len(subjects))]
        meeting_rows.append(
            (mid, kind, held, subject, bodies[i % len(bodies)] if bodies else None,
             "Police and Crime Commissioner\nChief Constable\nDeputy Chief Constable\nChief Executive (OPCC)",
             f"<p>The Commissioner held the Chief Constable to account on {subject.lower()}.</p>", state,
             published_on, None, now, now)
        )  # fmt: skip
        for pos, title in enumerate((AGENDA[0], subject, AGENDA[1]), start=1):
            agenda_rows.append((mid, pos, title, None, None, ""))
        for pos in (1, 2):
            finding_rows.append((mid, pos, FINDINGS[(i + pos) % len(FINDINGS)], pos == 1))
        for k in range(3):
            due = held + timedelta(days=rng.choice((28, 42, 56, 90)))
            status = "open" if due >= today or rng.random() < 0.25 else rng.choice(("complete", "complete", "closed"))
            activity_id, commitment_id = (
                activities[(i * 3 + k) % len(activities)] if activities and k == 0 else (None, None)
            )
            action_rows.append(
                (aid, mid, ACTIONS[(i * 3 + k) % len(ACTIONS)], due, status, activity_id, commitment_id, "", "",
                 None, held, 1 if status == "open" else 2)
            )  # fmt: skip
            if owners:
                owner_links.append((aid, owners[(i * 3 + k) % len(owners)]))
            update_rows.append((aid, held, "created", "", "", "open", due, "{}", now))
            if status != "open":
                update_rows.append((aid, min(due, today), "update", "", "Action complete.", status, due, "{}", now))
            aid += 1
        mid += 1

    scale.write_rows(
        Meeting,
        ("id", "kind", "held_on", "subject_area", "oversight_body_id", "attendees", "notes", "state",
         "published_on", "created_by_id", "created_at", "updated_at"),
        meeting_rows,
    )  # fmt: skip
    scale.write_rows(
        AgendaItem, ("meeting_id", "position", "title", "commitment_id", "activity_id", "kpi_ref"), agenda_rows
    )
    scale.write_rows(Finding, ("meeting_id", "position", "text", "for_panel"), finding_rows)
    scale.write_rows(
        Action,
        ("id", "meeting_id", "text", "due_date", "status", "activity_id", "commitment_id", "kpi_ref", "progress",
         "last_update_on", "created_on", "version"),
        action_rows,
    )  # fmt: skip
    scale.write_rows(Action.owners.through, ("action_id", "owner_id"), owner_links)
    scale.write_rows(
        ActionUpdate,
        ("action_id", "on", "kind", "author_name", "text", "status", "due_date", "changes", "recorded_at"),
        update_rows,
    )
    scale.reset_sequences((Meeting, AgendaItem, Finding, Action, ActionUpdate))
    return {"meetings": len(meeting_rows), "meeting actions": len(action_rows)}
