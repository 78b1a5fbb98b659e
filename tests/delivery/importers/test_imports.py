"""The import pipeline end to end through the services: read, recognise, validate, plan, apply."""

import io
from datetime import date

import pytest

from delivery import services
from delivery.importers.apply import apply_change_set
from delivery.importers.native import native_workbook
from delivery.models import Activity, Commitment, Objective, OversightBody, Owner, Plan, ProgressUpdate, Rag, Section
from tests.delivery.importers.builders import extract_workbook, tracker_rows, tracker_workbook

pytestmark = pytest.mark.django_db
AS_AT = date(2026, 11, 21)


def plan_for(data, name="Test plan", **kwargs):
    return services.import_read_and_plan(data=data, filename="book.xlsx", plan_name=name, as_at=AS_AT, **kwargs)


def apply(data, user, name="Test plan", **kwargs):
    planned = plan_for(data, name, **kwargs)
    assert not planned.errors, planned.errors
    return apply_change_set(planned, by=user, source="Imported from book.xlsx")


def test_an_extract_recreates_objectives_sections_commitments_and_activities(editor):
    apply(extract_workbook(), editor)
    plan = Plan.objects.get(name="Test plan")
    assert list(plan.objectives.order_by("order").values_list("title", flat=True)) == [
        "Putting victims and survivors first",
        "Building a more secure West Mercia",
    ]
    assert set(Section.objects.values_list("title", flat=True)) == {
        "Policing element",
        "Police and Crime Commissioner's Commitments",
    }
    assert sorted(Commitment.objects.values_list("ref", flat=True)) == ["1.1", "1.10", "1.2", "B.2"]
    c11 = Commitment.objects.get(ref="1.1")
    assert list(c11.activities.order_by("position").values_list("sub_ref", flat=True)) == ["A1.1", "A1.2"]
    a12 = Activity.objects.get(sub_ref="A1.2")
    assert a12.text == "Introduce needs assessments at first contact."  # HTML dropped, text kept
    assert a12.progress == "Pilot live in two local policing areas.\nEvaluation due with the university partner."
    assert sorted(a12.oversight_bodies.values_list("name", flat=True)) == [
        "Monthly Holding to Account",
        "Victims' Board",
    ]
    a11 = Activity.objects.get(sub_ref="A1.1")
    update = a11.updates.get(kind=ProgressUpdate.Kind.IMPORT)
    assert (update.on, update.text, update.source) == (
        date(2022, 6, 29),
        "First audit complete; actions agreed with supervisors.",
        "Imported from book.xlsx",
    )
    assert a11.rag == Rag.NOT_RATED  # an extract has no RAG column
    lone = Commitment.objects.get(ref="1.2").activities.get()
    assert lone.text == "Commission an independent sexual violence advisor service."  # tracked as one activity
    assert Activity.objects.get(sub_ref="A10.1").progress == "• Tender issued\n• Bids due"


def test_an_impossible_update_date_is_a_warning_and_the_text_is_kept(editor):
    planned = plan_for(extract_workbook())
    (warning,) = [w for w in planned.warnings if "296023" in w.message]
    assert (warning.sheet, warning.row, warning.column) == ("Appendix 1", 16, "D")
    apply(extract_workbook(), editor)
    assert Activity.objects.get(sub_ref="B2.17").progress == "296023 – Scheme extended to 12 more villages."


def test_a_tracker_reads_strands_as_objectives_and_rag_from_text_or_fill(editor):
    for fill_only, name in ((False, "Text plan"), (True, "Fill plan")):
        apply(tracker_workbook(fill_only=fill_only), editor, name=name)
        plan = Plan.objects.get(name=name)
        assert list(plan.objectives.values_list("title", flat=True)) == ["Prevention", "Partnerships"]
        rags = dict(Activity.objects.filter(commitment__plan=plan).values_list("commitment__ref", "rag"))
        assert rags == {"1": "G", "2": "A", "3": "", "4": ""}
        done = Activity.objects.get(commitment__plan=plan, commitment__ref="4")
        assert done.status == "complete" and done.shown_rag == "B"
        first = Activity.objects.get(commitment__plan=plan, commitment__ref="1")
        assert first.due_date == date(2022, 10, 31) and first.date_text == "By Oct 22"
        assert first.owner_text == "Corporate Comms Supt Paley / CI Preece"
        assert sorted(first.owners.values_list("name", flat=True)) == ["CI Preece", "Corporate Comms Supt Paley"]
        second = Activity.objects.get(commitment__plan=plan, commitment__ref="2")
        assert second.start_date == date(2023, 2, 1) and second.due_date is None


def test_the_plan_name_comes_from_the_title_row_when_none_is_given(editor):
    planned = services.import_read_and_plan(data=tracker_workbook(), filename="x.xlsx", as_at=AS_AT)
    assert planned.plan_name == "Local Policing Community Charter Delivery Plan (July 2022)"


def test_sheets_that_match_no_layout_are_listed_as_skipped(editor):
    planned = plan_for(tracker_workbook())
    assert planned.skipped == [{"sheet": "Notes", "reason": "no header row (Ref, Supporting activity, ...) found"}]


def test_a_rag_value_that_is_not_a_rating_is_an_error_with_sheet_row_and_column_and_nothing_is_written(editor):
    planned = plan_for(tracker_workbook(bad_rag=True))
    (error,) = planned.errors
    assert (error.sheet, error.row, error.column) == ("Tracker", 7, "E")
    assert '"X" is not a RAG rating' in error.message
    assert not Plan.objects.exists()


def test_a_duplicate_reference_is_an_error(editor):
    rows = tracker_rows(3)
    rows[2][0] = 1
    planned = plan_for(tracker_workbook(strands=[("Prevention", rows)]))
    assert any('Reference "1" is used twice' in e.message and e.row == 6 for e in planned.errors)


def test_applying_the_same_file_twice_changes_nothing_the_second_time(editor):
    apply(tracker_workbook(), editor)
    counts = (Activity.objects.count(), ProgressUpdate.objects.count(), Owner.objects.count())
    versions = list(Activity.objects.order_by("pk").values_list("version", flat=True))
    second = plan_for(tracker_workbook())
    assert second.counts()["created"] == {k: 0 for k in second.counts()["created"]}
    assert second.counts()["updated"] == {k: 0 for k in second.counts()["updated"]}
    apply(tracker_workbook(), editor)
    assert (Activity.objects.count(), ProgressUpdate.objects.count(), Owner.objects.count()) == counts
    assert list(Activity.objects.order_by("pk").values_list("version", flat=True)) == versions


def test_an_updated_copy_records_exactly_what_changed_as_progress_updates(editor):
    apply(extract_workbook(), editor)
    planned = plan_for(extract_workbook(changed=True))
    changed = [a for a in planned.activities if a.action == "update"]
    # Dated 15/09/22, but the activity's latest update (the first import, undated) is later: the new
    # update is recorded at that date, with a warning, so the trail stays in date order.
    text = "Rolled out force-wide.\nEvaluation due with the university partner."
    assert [(a.sub_ref, a.updates) for a in changed] == [("A1.2", [{"on": "2026-11-21", "text": text}])]
    assert any("15/09/2022 is older than the activity's latest update" in w.message for w in planned.warnings)
    apply(extract_workbook(changed=True), editor)
    a12 = Activity.objects.get(sub_ref="A1.2")
    latest = a12.updates.order_by("-on", "-id").first()
    assert (latest.on, latest.text, latest.author) == (date(2026, 11, 21), text, editor)
    assert a12.progress == text and a12.version == 2


def test_activities_missing_from_the_file_are_reported_never_deleted(editor):
    apply(tracker_workbook(), editor)
    shorter = tracker_workbook(
        strands=[
            (
                "Prevention",
                [
                    [
                        1,
                        "Launch a rural crime prevention campaign.",
                        "Corporate Comms Supt Paley / CI Preece",
                        "By Oct 22",
                        "G",
                        "290622 – Campaign materials signed off.",
                    ]
                ],
            )
        ]
    )
    planned = plan_for(shorter)
    assert sorted(m["ref"] for m in planned.missing) == ["2", "3", "4"]
    apply(shorter, editor)
    assert Activity.objects.count() == 4


def test_edits_made_after_the_preview_are_conflicts_and_are_not_overwritten(editor, admin_user):
    apply(tracker_workbook(), editor)
    changed = tracker_workbook(
        strands=[
            (
                "Prevention",
                [
                    [
                        1,
                        "Launch a rural crime prevention campaign.",
                        "Corporate Comms Supt Paley / CI Preece",
                        "By Oct 22",
                        "R",
                        "010722 – Printer let us down.",
                    ]
                ],
            )
        ]
    )
    preview = plan_for(changed)
    seen = {str(a.activity_id): a.version for a in preview.activities if a.activity_id}
    target = Activity.objects.get(commitment__ref="1")
    services.activity_record_update(
        activity=target, by=admin_user, seen_version=target.version, rag=Rag.AMBER, text="Escalated at the board."
    )
    outcome = apply_change_set(plan_for(changed), by=editor, source="x", seen_versions=seen)
    assert [c["activity_id"] for c in outcome.conflicts] == [target.pk]
    target.refresh_from_db()
    assert (target.rag, target.progress) == (Rag.AMBER, "Escalated at the board.")


def test_the_apps_own_workbook_round_trips_with_no_changes(editor):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    plan = Plan.objects.get()
    planned = services.import_read_and_plan(
        data=native_workbook(plan=plan), filename="plan.xlsx", plan_name=plan.name, as_at=AS_AT
    )
    assert not planned.errors and planned.layout == "native"
    counts = planned.counts()
    assert sum(counts["created"].values()) == 0 and sum(counts["updated"].values()) == 0
    assert counts["unchanged"]["activities"] == Activity.objects.count()


def test_the_apps_own_workbook_recreates_a_plan_elsewhere(editor):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    plan = Plan.objects.get()
    data = native_workbook(plan=plan)
    apply(data, editor, name="Copy of the plan")
    copy = Plan.objects.get(name="Copy of the plan")
    original = Activity.objects.filter(commitment__plan=plan)
    copied = Activity.objects.filter(commitment__plan=copy)
    fields = ("commitment__ref", "sub_ref", "text", "rag", "status", "due_date", "owner_text", "progress")
    assert sorted(original.values_list(*fields)) == sorted(copied.values_list(*fields))
    assert copy.objectives.count() == 4 and Section.objects.filter(objective__plan=copy).count() == 8


def test_a_big_tracker_with_several_updates_per_row_imports(editor):
    data = tracker_workbook(strands=[("Prevention", tracker_rows(300, updates_per_row=4))], extra_sheet=False)
    outcome = apply(data, editor)
    assert outcome.created["activities"] == 300 and outcome.created["updates"] == 1200
    assert Objective.objects.count() == 1 and OversightBody.objects.count() == 0


TRACKER_ROWS = [
    ["Community Charter tracker"],
    ["#", "Action", "Owner/s", "Date", "RAG", "Update"],
    ["Prevention"],
    [
        1,
        "Launch a rural crime prevention campaign.",
        "Supt Paley / CI Preece",
        "By Oct 22",
        "G",
        "290622 – Campaign materials signed off.",
    ],
    [2, "Train SNT officers in problem solving.", "SNT Ch Insp", "Start Feb 23", "A", "Trainer sourced."],
]


def test_an_ods_tracker_imports(editor):
    from tests.core.tabular.test_workbook import ods

    apply(ods(TRACKER_ROWS, name="Tracker"), editor, name="ODS plan")
    assert dict(Activity.objects.values_list("commitment__ref", "rag")) == {"1": "G", "2": "A"}


def test_an_xlsm_tracker_imports_with_its_macros_ignored(editor):
    from tests.core.tabular.test_workbook import rewrite_zip

    data = tracker_workbook()
    import re
    import zipfile

    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    types = re.sub(
        r"application/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\.main\+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        types,
    )
    planned = plan_for(rewrite_zip(data, {"[Content_Types].xml": types.encode()}))
    assert not planned.errors and planned.counts()["created"]["activities"] == 4


def test_a_legacy_xls_tracker_imports(editor):
    from tests.core.tabular.test_workbook import legacy_xls

    cells = [(r, c, v) for r, row in enumerate(TRACKER_ROWS) for c, v in enumerate(row)]
    apply(legacy_xls("Tracker", cells, merges=[(2, 2, 0, 5)]), editor, name="XLS plan")
    assert Activity.objects.count() == 2
    assert Activity.objects.get(commitment__ref="1").due_date == date(2022, 10, 31)


def test_formulas_import_as_their_cached_values(editor):
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("Tracker")
    for r, row in enumerate(TRACKER_ROWS):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    ws.write_formula(4, 0, "=A4+1", None, 2)
    ws.write_formula(3, 4, '=IF(TRUE,"G","R")', None, "G")
    wb.close()
    apply(out.getvalue(), editor, name="Formula plan")
    assert sorted(Activity.objects.values_list("commitment__ref", "rag")) == [("1", "G"), ("2", "A")]


def test_thousands_of_empty_formatted_rows_are_ignored(editor):
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    for row in TRACKER_ROWS:
        ws.append(row)
    grey = PatternFill("solid", fgColor="FFEEEEEE")
    for r in range(6, 5006):
        ws.cell(row=r, column=1).fill = grey
    out = io.BytesIO()
    wb.save(out)
    planned = plan_for(out.getvalue())
    assert not planned.errors and planned.counts()["created"]["activities"] == 2


@pytest.mark.slow
def test_a_sheet_of_5000_activities_imports(editor):
    data = tracker_workbook(strands=[("Prevention", tracker_rows(5000))], extra_sheet=False)
    outcome = apply(data, editor)
    assert outcome.created["activities"] == 5000 and Activity.objects.count() == 5000
