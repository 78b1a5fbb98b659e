from __future__ import annotations

from datetime import timedelta

import pytest

from core.dates import today
from rounds import services
from tests.factories import CommitmentFactory, ObjectiveFactory, OwnerFactory, PlanFactory, make_activity, make_user


@pytest.fixture
def round_plan(db, owner_user):
    """A plan with three open activities: two of Supt Paley's (linked to the owner login), one of the
    CiP manager (no login), one of Digital Services (another login), and one complete (left out)."""
    plan = PlanFactory(name="Safer West Mercia Plan 2022-2025")
    victims = ObjectiveFactory(plan=plan, order=1, title="Putting victims and survivors first")
    reform = ObjectiveFactory(plan=plan, order=2, title="Reforming West Mercia")
    paley = OwnerFactory(name="Supt Paley", user=owner_user)
    cip = OwnerFactory(name="CiP manager")
    digital = OwnerFactory(name="Digital Services", user=make_user("digital", role="Owner"))
    c1 = CommitmentFactory(plan=plan, objective=victims, ref="1.1", text="Improve the service victims receive")
    c2 = CommitmentFactory(plan=plan, objective=reform, ref="3.2", text="Modernise the force's digital services")
    acts = {
        "a1": make_activity(commitment=c1, owners=[paley], text="Roll out the victims' code compliance audit"),
        "a2": make_activity(commitment=c1, owners=[paley, cip], text="Commission the independent advocacy service"),
        "a3": make_activity(commitment=c2, owners=[digital], text="Replace the crime recording system"),
        "done": make_activity(commitment=c2, owners=[digital], text="Publish the digital strategy", status="complete"),
    }
    return plan, acts


@pytest.fixture
def open_round(round_plan, editor, django_capture_on_commit_callbacks, eager_tasks):
    plan, acts = round_plan
    with django_capture_on_commit_callbacks(execute=True):  # the requests are emailed after commit
        rnd = services.round_open(
            by=editor,
            plan=plan,
            title="Q3 2025/26 delivery plan update",
            deadline=today() + timedelta(days=14),
            as_at=today(),
            message="Please say what any slippage means for the year-end dates.",
        )
    return rnd, acts
