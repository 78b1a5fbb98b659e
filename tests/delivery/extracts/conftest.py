from datetime import date

import pytest

from delivery import services
from delivery.models import Rag, Status
from tests.factories import OversightBodyFactory, OwnerFactory, make_activity


@pytest.fixture
def appendix_plan(editor):
    """Two objectives, one with two sections; refs that only sort right naturally; a withheld activity;
    an update after the as-at date; a completed activity; formula-like text."""
    plan = services.plan_create(by=editor, name="Safer Testshire Plan")
    victims = services.objective_create(by=editor, plan=plan, title="Putting victims and survivors first")
    secure = services.objective_create(by=editor, plan=plan, title="Building a more secure Testshire")
    policing = services.section_create(by=editor, objective=victims, title="Policing element")
    pcc = services.section_create(by=editor, objective=victims, title="Police and Crime Commissioner's Commitments")
    board = OversightBodyFactory(name="Victims' Board")
    c310 = services.commitment_create(by=editor, objective=victims, section=policing, ref="3.10", text="Ten")
    c32 = services.commitment_create(by=editor, objective=victims, section=policing, ref="3.2", text="Two")
    c_pcc = services.commitment_create(by=editor, objective=victims, section=pcc, ref="A.1", text="PCC commitment")
    c_sec = services.commitment_create(by=editor, objective=secure, ref="B1", text="=cmd|' /C calc'!A0")
    owner = OwnerFactory(name="Supt Paley")
    a = {}
    a["ten"] = make_activity(
        commitment=c310,
        sub_ref="3.10.1",
        text="Tenth thing",
        owners=[owner],
        oversight_bodies=[board],
        rag=Rag.GREEN,
        status=Status.IN_PROGRESS,
        due_date=date(2026, 3, 31),
        date_text="By Mar 26",
        on=date(2025, 1, 6),
        by=editor,
    )
    a["two_a"] = make_activity(
        commitment=c32,
        sub_ref="3.2.1",
        text="Second thing",
        rag=Rag.AMBER,
        status=Status.IN_PROGRESS,
        on=date(2025, 1, 6),
        by=editor,
    )
    a["two_b"] = make_activity(
        commitment=c32,
        sub_ref="3.2.2",
        text="Second thing, part two",
        rag=Rag.RED,
        status=Status.IN_PROGRESS,
        on=date(2025, 1, 6),
        by=editor,
    )
    a["pcc"] = make_activity(commitment=c_pcc, text="PCC activity", rag=Rag.GREEN, on=date(2025, 1, 6), by=editor)
    a["done"] = make_activity(
        commitment=c_pcc, text="Finished work", status=Status.COMPLETE, on=date(2025, 1, 6), by=editor
    )
    a["secret"] = make_activity(commitment=c_pcc, text="Covert tactic", publish=False, on=date(2025, 1, 6), by=editor)
    a["formula"] = make_activity(commitment=c_sec, text="+SUM(1,2)", rag=Rag.GREEN, on=date(2025, 1, 6), by=editor)
    services.activity_record_update(
        activity=a["ten"],
        by=editor,
        seen_version=a["ten"].version,
        text="Before the date: on track.",
        on=date(2025, 5, 1),
    )
    services.activity_record_update(
        activity=a["ten"],
        by=editor,
        seen_version=a["ten"].version,
        rag=Rag.RED,
        text="After the date: funding pulled.",
        on=date(2025, 8, 1),
    )
    services.activity_record_update(
        activity=a["formula"],
        by=editor,
        seen_version=a["formula"].version,
        text="@SUM(A1:A9) -1 <script>alert(1)</script>",
        on=date(2025, 5, 2),
    )
    return plan, a
