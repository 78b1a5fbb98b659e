from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from core.dates import today
from delivery import services
from delivery.models import Activity, ProgressUpdate, Rag, Status
from tests.factories import CommitmentFactory, ObjectiveFactory, OwnerFactory, SectionFactory, make_activity

pytestmark = pytest.mark.django_db


def test_a_new_activity_starts_its_history_with_a_created_update(editor):
    activity = make_activity(by=editor, rag=Rag.GREEN, status=Status.IN_PROGRESS, due_date=date(2027, 3, 31))
    (update,) = activity.updates.all()
    assert update.kind == ProgressUpdate.Kind.CREATED
    assert (update.rag, update.status, update.due_date) == (Rag.GREEN, Status.IN_PROGRESS, date(2027, 3, 31))
    assert update.author == editor
    assert activity.version == 1


def test_recording_an_update_changes_the_activity_and_logs_what_changed_from_what(editor):
    paley = OwnerFactory(name="Supt Paley")
    preece = OwnerFactory(name="CI Preece")
    activity = make_activity(owners=[paley], rag=Rag.GREEN, status=Status.IN_PROGRESS, due_date=date(2026, 12, 31))
    update = services.activity_record_update(
        activity=activity,
        by=editor,
        seen_version=activity.version,
        rag=Rag.AMBER,
        text="Supplier delay; revised date agreed.",
        due_date=date(2027, 3, 31),
        owners=[paley, preece],
    )
    activity.refresh_from_db()
    assert (activity.rag, activity.due_date, activity.progress) == (
        Rag.AMBER,
        date(2027, 3, 31),
        "Supplier delay; revised date agreed.",
    )
    assert activity.version == 2
    assert activity.owner_text == "CI Preece / Supt Paley"
    assert update.changes == {
        "rag": ["G", "A"],
        "due_date": ["2026-12-31", "2027-03-31"],
        "owners": [["Supt Paley"], ["CI Preece", "Supt Paley"]],
    }
    assert update.author == editor and update.on == today()


def test_moving_to_red_or_amber_needs_a_reason(editor):
    activity = make_activity(rag=Rag.GREEN)
    for rag in (Rag.RED, Rag.AMBER):
        with pytest.raises(ValidationError) as err:
            services.activity_record_update(activity=activity, by=editor, seen_version=activity.version, rag=rag)
        assert "Say why" in err.value.message_dict["text"][0]
    assert activity.updates.count() == 1


def test_staying_amber_while_changing_the_due_date_needs_no_new_reason(editor):
    activity = make_activity(rag=Rag.AMBER)
    services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, due_date=date(2027, 1, 31)
    )
    assert Activity.objects.get(pk=activity.pk).due_date == date(2027, 1, 31)


def test_a_stale_edit_is_refused_and_nothing_is_written(editor, admin_user):
    activity = make_activity(rag=Rag.GREEN)
    loaded_version = activity.version
    services.activity_record_update(
        activity=Activity.objects.get(pk=activity.pk),
        by=admin_user,
        seen_version=loaded_version,
        rag=Rag.RED,
        text="Escalated at the board.",
    )
    with pytest.raises(services.StaleEdit):
        services.activity_record_update(
            activity=activity, by=editor, seen_version=loaded_version, rag=Rag.GREEN, text="All fine."
        )
    fresh = Activity.objects.get(pk=activity.pk)
    assert fresh.rag == Rag.RED and fresh.progress == "Escalated at the board."
    assert fresh.updates.count() == 2


def test_an_update_cannot_be_dated_in_the_future_or_before_the_latest_update(editor):
    activity = make_activity(on=today() - timedelta(days=10))
    with pytest.raises(ValidationError) as err:
        services.activity_record_update(
            activity=activity, by=editor, seen_version=activity.version, text="x", on=today() + timedelta(days=1)
        )
    assert "future" in err.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as err:
        services.activity_record_update(
            activity=activity, by=editor, seen_version=activity.version, text="x", on=today() - timedelta(days=11)
        )
    assert "cannot be dated before" in err.value.message_dict["on"][0]


def test_a_due_date_before_the_start_date_is_refused(editor):
    activity = make_activity()
    with pytest.raises(ValidationError) as err:
        services.activity_record_update(
            activity=activity,
            by=editor,
            seen_version=activity.version,
            start_date=date(2026, 6, 1),
            due_date=date(2026, 5, 31),
        )
    assert "before the start date" in err.value.message_dict["due_date"][0]


def test_an_update_that_changes_nothing_is_refused(editor):
    activity = make_activity()
    with pytest.raises(ValidationError) as err:
        services.activity_record_update(activity=activity, by=editor, seen_version=activity.version)
    assert "Nothing has changed" in err.value.message_dict["text"][0]


def test_progress_text_alone_is_an_update_and_keeps_rag_and_status(editor):
    activity = make_activity(rag=Rag.GREEN, status=Status.IN_PROGRESS)
    update = services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, text="Action complete."
    )
    assert update.changes == {}
    activity.refresh_from_db()
    assert (activity.rag, activity.status, activity.progress) == (Rag.GREEN, Status.IN_PROGRESS, "Action complete.")


def test_commitment_references_are_unique_within_a_plan_only(editor):
    objective = ObjectiveFactory()
    services.commitment_create(by=editor, objective=objective, ref="3.10", text="One")
    with pytest.raises(ValidationError) as err:
        services.commitment_create(by=editor, objective=objective, ref="3.10", text="Two")
    assert "already used" in err.value.message_dict["ref"][0]
    other = ObjectiveFactory()
    assert services.commitment_create(by=editor, objective=other, ref="3.10", text="Other plan").pk


def test_a_commitment_cannot_sit_in_a_section_of_another_objective(editor):
    objective = ObjectiveFactory()
    stray = SectionFactory()
    with pytest.raises(ValidationError) as err:
        services.commitment_create(by=editor, objective=objective, section=stray, ref="1", text="x")
    assert "another objective" in err.value.message_dict["section"][0]


def test_owner_names_are_matched_case_insensitively(editor):
    first = services.owner_get_or_create(by=editor, name="Supt  Paley")
    assert first.name == "Supt Paley"
    assert services.owner_get_or_create(by=editor, name="supt paley") == first


def test_activity_sub_references_are_unique_within_a_plan(editor):
    c = CommitmentFactory()
    make_activity(commitment=c, sub_ref="A1.2")
    with pytest.raises(ValidationError):
        make_activity(commitment=c, sub_ref="A1.2")


def test_deleting_a_plan_deletes_its_structure_but_an_objective_in_use_cannot_be_deleted():
    from django.db.models import RestrictedError

    from delivery.models import Commitment, Objective, Plan

    activity = make_activity()
    objective = activity.commitment.objective
    with pytest.raises(RestrictedError):
        objective.delete()
    objective.plan.delete()
    assert not (
        Plan.objects.exists() or Objective.objects.exists() or Commitment.objects.exists() or Activity.objects.exists()
    )


def test_deleting_a_plan_with_sections_deletes_them_too(editor):
    from delivery.models import Plan, Section

    section = SectionFactory()
    c = services.commitment_create(by=editor, objective=section.objective, section=section, ref="1.1", text="x")
    make_activity(commitment=c)
    section.objective.plan.delete()
    assert not (Plan.objects.exists() or Section.objects.exists())
