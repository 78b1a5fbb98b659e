"""Demo holding-to-account data, added by `seed_demo` after the plan (a registered demo step): two
years of meetings (monthly formal, quarterly thematic, a few public), about 80 actions with their
updates, and ten written requests (some awaited, two overdue). Deterministic; a second run changes
nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from delivery.models import Activity, OversightBody, Owner

from . import services
from .models import Action, Meeting, WrittenRequest
from .workdays import add_working_days

FORMAL_SUBJECTS = [
    "Force performance: 999 and 101 call handling",
    "Force performance: neighbourhood crime and anti-social behaviour",
    "Force performance: victim satisfaction",
    "Force finances and the efficiency plan",
    "Force performance: charge rates and outcomes",
    "Workforce, wellbeing and vetting",
]
THEMATIC_SUBJECTS = [
    "Connecting with Communities",
    "Investigations and Outcome 16",
    "Violence against women and girls",
    "Rural and wildlife crime",
    "Serious violence and knife crime",
    "Domestic abuse: repeat victims",
    "Use of force and stop and search",
    "Missing people",
]
PUBLIC_SUBJECTS = ["Safer roads (live-streamed)", "The budget and precept", "Policing in rural communities"]
FINDINGS = [
    "The force has reduced average 101 answer times but abandonment remains above target at weekends.",
    "The Commissioner was assured that the improvement plan is on track, with an update due next quarter.",
    "Outcome 16 (victim does not support action) is falling; the Commissioner asked for the audit findings.",
    "Neighbourhood teams are being restored to full strength; abstractions remain a concern.",
    "The Chief Constable outlined the new victim care contact standard; early figures are encouraging.",
    "The efficiency plan is forecast to deliver its savings; two projects are behind schedule.",
    "Public confidence survey results were discussed; rural areas report lower confidence.",
    "Vetting backlogs have been cleared; the Commissioner asked for assurance on re-vetting.",
]
ACTIONS = [
    "Provide a breakdown of 101 abandonment by hour and day for the next meeting.",
    "Share the audit of Outcome 16 decisions with the OPCC.",
    "Report on neighbourhood abstraction rates by local policing area.",
    "Write to the Commissioner setting out the plan to recover the charge rate.",
    "Present the rural crime team's first-year evaluation.",
    "Provide the victim satisfaction survey results for domestic abuse victims.",
    "Confirm the timetable for the new records management system.",
    "Share the stop and search scrutiny panel's recommendations and the force's response.",
    "Brief the Commissioner on vetting re-checks for officers in specialist roles.",
    "Set out how the efficiency savings will be reinvested in frontline policing.",
]
REQUESTS = [
    (
        "Body-worn video activation rates",
        "What proportion of stop and search encounters were recorded on body-worn video in the last quarter, and what is being done where activation was low?",
    ),
    (
        "Custody detention times",
        "Please explain the rise in average detention times in custody since the spring and the steps being taken to reduce them.",
    ),
    (
        "Rural crime team resourcing",
        "How many officers are assigned to the rural crime team, and how often are they abstracted to other duties?",
    ),
    (
        "Domestic abuse arrest rates",
        "Please provide the arrest rate for domestic abuse incidents by local policing area for the last twelve months.",
    ),
    ("Fleet availability", "What is the current availability of response vehicles and what is the plan to improve it?"),
    (
        "Outcome 16 audit",
        "Please set out the findings of the internal audit of Outcome 16 decisions and the actions arising.",
    ),
    (
        "Neighbourhood policing abstractions",
        "How often were neighbourhood officers abstracted to response duties last quarter?",
    ),
    (
        "101 online reporting",
        "What proportion of non-emergency reports were made online, and how quickly were they reviewed?",
    ),
    (
        "Victim updates",
        "How is the force assuring itself that victims receive updates within the Victims' Code timescales?",
    ),
    (
        "Road casualty reduction",
        "What has the force's contribution been to the reduction in people killed or seriously injured on the roads?",
    ),
]


def _demo_user(username: str):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def seed_meetings(*, plan, today: date, rng_seed: int = 12) -> bool:
    """Add the demo meetings, actions and written requests unless they are there already."""
    if Meeting.objects.exists() or WrittenRequest.objects.exists():
        return False
    editor = _demo_user("editor") or _demo_user("admin")
    owner_login = _demo_user("owner")
    if editor is None:
        return False
    rng = random.Random(rng_seed)
    hta = OversightBody.objects.filter(name="Monthly Holding to Account").first()
    owners = list(Owner.objects.order_by("name"))
    # The demo owner login's names own some actions, so "Only actions I own" has rows.
    owned = [o for o in owners if owner_login and o.user_id == owner_login.pk]
    activities = list(Activity.objects.filter(commitment__plan=plan).select_related("commitment").order_by("pk"))

    meetings: list[Meeting] = []
    start = today - timedelta(days=730)
    for month in range(24):
        y, m = divmod(start.month - 1 + month, 12)
        first = date(start.year + y, m + 1, 1)
        held = first + timedelta(days=(1 - first.weekday()) % 7 + 7)  # the second Tuesday or so
        if held >= today:
            continue
        meetings.append(
            _meeting(editor, Meeting.Kind.FORMAL, held, FORMAL_SUBJECTS[month % len(FORMAL_SUBJECTS)], hta, rng, today)
        )
        if month % 3 == 1:
            thematic_on = held + timedelta(days=14)
            if thematic_on < today:
                meetings.append(
                    _meeting(
                        editor, Meeting.Kind.THEMATIC, thematic_on, THEMATIC_SUBJECTS[(month // 3) % 8], hta, rng, today
                    )
                )
        if month in (5, 13, 21):
            public_on = held + timedelta(days=21)
            if public_on < today:
                meetings.append(
                    _meeting(editor, Meeting.Kind.PUBLIC, public_on, PUBLIC_SUBJECTS[month // 8], hta, rng, today)
                )

    n_actions = 0
    for i, meeting in enumerate(meetings):
        for k in range(rng.choice([2, 2, 3, 3])):
            due = meeting.held_on + timedelta(days=rng.choice([28, 42, 56, 90]))
            activity = rng.choice(activities) if activities and rng.random() < 0.5 else None
            pool = owned if owned and rng.random() < 0.25 else owners
            action = services.action_create(
                by=editor,
                meeting=meeting,
                text=ACTIONS[(i + k) % len(ACTIONS)],
                owners=rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 2]))) if pool else [],
                due_date=due,
                activity=activity,
                on=meeting.held_on,
            )
            n_actions += 1
            _progress(action, editor=editor, today=today, rng=rng)

    # The latest meeting's notes are still a draft: only editors see it.
    if meetings:
        latest = max(meetings, key=lambda m: m.held_on)
        if latest.state == Meeting.State.PUBLISHED:
            services.meeting_set_state(by=editor, meeting=latest, state=Meeting.State.APPROVED)
        services.meeting_set_state(by=editor, meeting=latest, state=Meeting.State.DRAFT)

    for i, (subject, question) in enumerate(REQUESTS):
        sent = today - timedelta(days=700 - i * 70)
        if i >= 8:  # two recent ones still inside their 20 working days
            sent = today - timedelta(days=7 + (i - 8) * 5)
        if i in (6, 7):  # two overdue: sent about two months ago, unanswered
            sent = today - timedelta(days=50 + (i - 6) * 9)
        wr = services.request_create(
            by=editor,
            reference=f"WR-{sent:%Y}-{i + 1:02d}",
            subject=subject,
            question=question,
            sent_on=sent,
            working_days=20,
            meeting=rng.choice(meetings) if meetings and i % 3 == 0 else None,
        )
        if i < 6:
            taken = rng.choice([12, 18, 20, 24, 31])
            received = add_working_days(sent, taken)
            services.request_record_response(
                by=editor,
                request=wr,
                received_on=min(received, today),
                response="The Chief Constable's written response is held on file; a summary was reported to the panel.",
                follow_up="Discussed at the next formal meeting." if i % 2 else "",
            )
    return bool(n_actions)


def _meeting(editor, kind: str, held: date, subject: str, body, rng: random.Random, today: date) -> Meeting:
    meeting = services.meeting_create(
        by=editor,
        kind=kind,
        held_on=held,
        subject_area=subject,
        oversight_body=body if kind == Meeting.Kind.FORMAL else None,
        attendees="Police and Crime Commissioner\nChief Constable\nDeputy Chief Constable\nOPCC Chief Executive",
        notes=(
            f"<h2>{subject}</h2><p>The Commissioner welcomed the Chief Constable and thanked officers for the"
            " papers.</p><ul><li>Performance against the plan was reviewed.</li>"
            "<li>Actions from the previous meeting were reviewed.</li></ul>"
        ),
    )
    picked = rng.sample(FINDINGS, k=rng.choice([2, 3]))
    services.findings_save(
        by=editor, meeting=meeting, findings=[{"text": t, "for_panel": j == 0} for j, t in enumerate(picked)]
    )
    services.meeting_set_state(by=editor, meeting=meeting, state=Meeting.State.APPROVED)
    published_on = held + timedelta(days=rng.randint(10, 25))
    if rng.random() < 0.8 and published_on <= today:
        services.meeting_set_state(by=editor, meeting=meeting, state=Meeting.State.PUBLISHED, on=published_on)
    return meeting


def _progress(action: Action, *, editor, today: date, rng: random.Random) -> None:
    """Most older actions are done; some are past due and still open (for the overdue review)."""
    due = action.due_date
    if due is None:
        return
    roll = rng.random()
    if due < today and roll < 0.8:
        on = min(due - timedelta(days=rng.randint(0, 10)), today)
        on = max(on, action.created_on)
        services.action_record_update(
            action=action,
            by=editor,
            seen_version=action.version,
            status=Action.Status.DONE,
            text="Provided to the OPCC and noted at the following meeting.",
            on=on,
        )
    elif roll < 0.9 and action.created_on + timedelta(days=14) < today:
        services.action_record_update(
            action=action,
            by=editor,
            seen_version=action.version,
            text="Work under way; an update has been requested for the next meeting.",
            on=action.created_on + timedelta(days=14),
        )
