from datetime import date

import pytest

from delivery import selectors, services
from delivery.models import Rag, Status
from tests.factories import CommitmentFactory, ObjectiveFactory, SectionFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(editor):
    """An activity created on 1 Jan 2025 Green, Amber on 1 Mar, due date moved on 1 Apr, complete 1 Jun."""
    a = make_activity(
        on=date(2025, 1, 1), rag=Rag.GREEN, status=Status.IN_PROGRESS, due_date=date(2025, 3, 31), by=editor
    )
    services.activity_record_update(
        activity=a, by=editor, seen_version=a.version, rag=Rag.AMBER, text="Slipping: supplier.", on=date(2025, 3, 1)
    )
    services.activity_record_update(
        activity=a, by=editor, seen_version=a.version, due_date=date(2025, 6, 30), on=date(2025, 4, 1)
    )
    services.activity_record_update(
        activity=a, by=editor, seen_version=a.version, status=Status.COMPLETE, text="Done.", on=date(2025, 6, 1)
    )
    return a


def _at(activity, day):
    return selectors.activities_as_at(as_at=day).filter(pk=activity.pk).first()


def test_an_activity_created_after_the_as_at_date_is_absent(history):
    assert _at(history, date(2024, 12, 31)) is None


def test_the_state_as_at_each_date_is_rebuilt_from_the_updates(history):
    feb = _at(history, date(2025, 2, 1))
    assert (feb.at_rag, feb.at_status, feb.at_due, feb.at_progress) == (
        Rag.GREEN,
        Status.IN_PROGRESS,
        date(2025, 3, 31),
        "",
    )
    march = _at(history, date(2025, 3, 15))
    assert march.at_due == date(2025, 3, 31)
    assert (march.at_rag, march.at_progress, march.at_progress_on) == (
        Rag.AMBER,
        "Slipping: supplier.",
        date(2025, 3, 1),
    )
    april = _at(history, date(2025, 4, 15))
    assert april.at_due == date(2025, 6, 30)
    assert april.at_progress == "Slipping: supplier."  # the due-date change had no text
    assert april.at_last_update_on == date(2025, 4, 1)
    july = _at(history, date(2025, 7, 1))
    assert (july.at_status, july.at_shown_rag, july.at_progress) == (Status.COMPLETE, "B", "Done.")


def test_an_update_on_the_as_at_date_itself_counts(history):
    assert _at(history, date(2025, 3, 1)).at_rag == Rag.AMBER


def test_overdue_as_at_a_date_uses_that_dates_due_date_and_status(history):
    def overdue_on(day):
        return selectors.overdue_activities(as_at=day).filter(pk=history.pk).exists()

    assert not overdue_on(date(2025, 3, 31))  # due that day: not yet overdue
    # Had the due date not moved on 1 Apr it would be overdue in mid-April; it moved to 30 Jun.
    assert not overdue_on(date(2025, 4, 15))
    # Complete on 1 Jun: never overdue afterwards.
    assert not overdue_on(date(2025, 8, 1))


def test_overdue_means_due_before_the_date_and_neither_complete_nor_closed(editor):
    c = CommitmentFactory()
    late = make_activity(commitment=c, on=date(2025, 1, 1), due_date=date(2025, 2, 28), status=Status.IN_PROGRESS)
    make_activity(commitment=c, on=date(2025, 1, 1), due_date=date(2025, 2, 28), status=Status.COMPLETE)
    make_activity(commitment=c, on=date(2025, 1, 1), due_date=date(2025, 2, 28), status=Status.CLOSED)
    make_activity(commitment=c, on=date(2025, 1, 1), due_date=date(2025, 3, 1), status=Status.ON_HOLD)
    make_activity(commitment=c, on=date(2025, 1, 1), due_date=None)
    assert [a.pk for a in selectors.overdue_activities(as_at=date(2025, 3, 1))] == [late.pk]


def test_todays_view_from_the_activity_equals_the_view_rebuilt_from_updates(history, editor):
    make_activity(on=date(2025, 5, 1), rag=Rag.RED, due_date=date(2025, 9, 30), by=editor)
    fields = ("pk", "at_rag", "at_status", "at_due", "at_start", "at_progress", "at_progress_on", "at_last_update_on")
    current = list(selectors.activities_as_at(as_at=None).order_by("pk").values_list(*fields))
    # A past date after every update takes the rebuilt path and must agree with the stored state.
    rebuilt = list(selectors.activities_as_at(as_at=date(2026, 1, 1)).order_by("pk").values_list(*fields))
    assert current == rebuilt


def test_plan_tree_orders_commitments_naturally_within_sections(editor):
    objective = ObjectiveFactory()
    section = SectionFactory(objective=objective, order=1)
    for ref in ["3.10", "3.2", "3.1"]:
        c = services.commitment_create(by=editor, objective=objective, section=section, ref=ref, text=ref)
        make_activity(commitment=c)
    (node,) = selectors.plan_tree(plan=objective.plan)
    assert [cn.commitment.ref for cn in node.sections[0].commitments] == ["3.1", "3.2", "3.10"]


def test_home_summary_counts_rag_per_objective_as_at_a_date(history, editor):
    (summary,) = selectors.home_summary(as_at=date(2025, 3, 15))
    (objective,) = summary.objectives
    assert objective.counts["A"] == 1 and objective.total == 1
    (summary,) = selectors.home_summary(as_at=date(2025, 7, 1))
    assert summary.objectives[0].counts["B"] == 1
    assert selectors.home_summary(as_at=date(2024, 6, 1))[0].total == 0


def test_an_activity_was_overdue_in_the_past_while_its_old_due_date_stood(editor):
    a = make_activity(on=date(2025, 1, 1), due_date=date(2025, 2, 28), status=Status.IN_PROGRESS, by=editor)
    services.activity_record_update(
        activity=a, by=editor, seen_version=a.version, due_date=date(2025, 9, 30), on=date(2025, 4, 1)
    )
    assert selectors.overdue_activities(as_at=date(2025, 3, 15)).filter(pk=a.pk).exists()
    assert not selectors.overdue_activities(as_at=date(2025, 4, 2)).filter(pk=a.pk).exists()
