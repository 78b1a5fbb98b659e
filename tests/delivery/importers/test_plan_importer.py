"""The delivery-plan importer through core's importer interface (no services): read, recognise,
plan a change set, apply it."""

from datetime import date

import pytest

from core.tabular import importer
from core.tabular.importer import ImportOptions, Outcome
from core.tabular.layouts import normalise_header
from delivery.importers.columns import NATIVE_COLUMNS
from delivery.importers.layouts import HEADERS, NATIVE
from delivery.importers.native import native_workbook
from delivery.models import Activity, Plan, Rag
from tests.delivery.importers.builders import tracker_workbook

pytestmark = pytest.mark.django_db
AS_AT = date(2026, 11, 21)


def options(**kwargs) -> ImportOptions:
    return ImportOptions(**{"filename": "Charter_tracker.xlsx", "as_at": AS_AT, **kwargs})


def test_the_plan_is_named_on_upload_else_by_the_workbooks_title_else_by_the_file():
    plans = importer.get("plan")
    assert plans.plan_file(tracker_workbook(), options(target="My plan")).plan_name == "My plan"
    titled = plans.plan_file(tracker_workbook(), options())
    assert titled.plan_name == "Local Policing Community Charter Delivery Plan (July 2022)"
    assert plans.plan_file(b"not a workbook", options()).plan_name == "Charter tracker"


def test_a_change_set_previews_as_json_as_at_its_update_date():
    change_set = importer.get("plan").plan_file(tracker_workbook(), options(target="Charter plan"))
    preview = change_set.as_json()
    assert preview["as_at"] == "2026-11-21" and "as_of" not in preview
    assert preview["created"]["activities"] == 4 and preview["plan"] == "Charter plan"
    assert change_set.versions_seen() == {}


def test_apply_returns_an_outcome_with_the_plan_and_a_second_apply_changes_nothing(editor):
    plans = importer.get("plan")
    first = plans.plan_file(tracker_workbook(), options(target="Charter plan"))
    outcome = plans.apply(first, by=editor, source="Imported from tracker.xlsx", seen_versions={})
    plan = Plan.objects.get()
    assert isinstance(outcome, Outcome) and outcome.plan == plan
    assert (outcome.target_id, outcome.target_name) == (plan.pk, "Charter plan")
    assert outcome.as_json()["created"]["activities"] == 4 and outcome.as_json()["plan_slug"] == plan.slug
    again = plans.plan_file(tracker_workbook(), options(target="Charter plan"))
    assert sum(again.counts()["created"].values()) == 0 and sum(again.counts()["updated"].values()) == 0
    assert plans.apply(again, by=editor, source="x", seen_versions={}).updated["activities"] == 0


def test_an_activity_edited_after_the_preview_is_a_conflict_even_if_the_preview_left_it_unchanged(editor):
    plans = importer.get("plan")
    plans.apply(plans.plan_file(tracker_workbook(), options(target="P")), by=editor, source="x", seen_versions={})
    preview = plans.plan_file(tracker_workbook(), options(target="P"))
    assert {a.action for a in preview.activities} == {"unchanged"}
    assert preview.versions_seen() == {str(a.pk): a.version for a in Activity.objects.all()}
    edited = Activity.objects.get(commitment__ref="2")
    edited.rag, edited.version = Rag.RED, edited.version + 1
    edited.save()
    again = plans.plan_file(tracker_workbook(), options(target="P"))  # apply plans against the database as it is now
    outcome = plans.apply(again, by=editor, source="x", seen_versions=preview.versions_seen())
    assert [c["activity_id"] for c in outcome.conflicts] == [edited.pk]
    edited.refresh_from_db()
    assert edited.rag == Rag.RED


def test_the_own_workbooks_header_row_reads_back_as_its_fields(editor):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    plan = Plan.objects.get()
    book = importer.get("plan").read(native_workbook(plan=plan), options(filename="plan.xlsx"))
    header = [cell.value for cell in book.sheets[0].rows[0]]
    assert header == [label for _field, label, _width in NATIVE_COLUMNS]
    parsed = importer.get("plan").recognise(book, options(filename="plan.xlsx"))
    assert parsed.layout == NATIVE and not parsed.errors
    assert {name: HEADERS[normalise_header(label)] for name, label, _width in NATIVE_COLUMNS} == {
        name: name for name, _label, _width in NATIVE_COLUMNS
    }
