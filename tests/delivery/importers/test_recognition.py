"""Real workbooks import without help: headers recognised by evidence, list numbering kept as text,
values mapped, the columns and values asked once and remembered as an import profile."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from delivery import services
from delivery.importers.apply import apply_change_set
from delivery.models import Activity, ImportProfile, ImportRun, Plan, ProgressUpdate

pytestmark = pytest.mark.django_db
AS_AT = date(2026, 11, 21)


def workbook(rows: list[list], *, title: str = "Tracker") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plan_for(data, name="Test plan", filename="book.xlsx", **kwargs):
    return services.import_read_and_plan(data=data, filename=filename, plan_name=name, as_at=AS_AT, **kwargs)


def apply(data, user, name="Test plan", **kwargs):
    planned = plan_for(data, name, **kwargs)
    assert not planned.errors, [e.message for e in planned.errors]
    return apply_change_set(planned, by=user, source="Imported from book.xlsx")


REAL_HEADERS = [
    ["Community Safety Partnership tracker"],
    ["Ref.", "Key recommendation", "Lead (officer)", "Timescale", "Current RAG", "Update – Q3 2023/24", "Directorate"],
    ["Prevention"],
    [
        1,
        "Launch a rural crime prevention campaign.",
        "Supt Paley / CI Preece",
        "By Oct 22",
        "On track",
        "Signed off.",
        "LP",
    ],
    [2, "Train SNT officers in problem solving.", "SNT Ch Insp", "Start Feb 23", "At risk", "Slipping.", "LP"],
    [3, "Set up a joint road safety group.", "Safer Roads team", "Dec 22", "Off track", "Chair left.", "OPU"],
    [4, "Publish a data sharing agreement.", "Head of Partnerships", "Ongoing", "Delayed", "Legal review.", "OPCC"],
]


def test_the_issues_headers_are_recognised_and_office_rag_words_are_mapped(editor):
    planned = plan_for(workbook(REAL_HEADERS))
    assert not planned.errors, [e.message for e in planned.errors]
    (info,) = planned.sheet_info
    assert info["header_row"] == 2 and info["recognised"]
    assert {c["header"]: c["field"] for c in info["columns"]} == {
        "Ref.": "ref",
        "Key recommendation": "activity",
        "Lead (officer)": "owners",
        "Timescale": "date",
        "Current RAG": "rag",
        "Update – Q3 2023/24": "progress",
        "Directorate": "",  # kept in the preview as not imported
    }
    apply(workbook(REAL_HEADERS), editor)
    rags = dict(Activity.objects.values_list("commitment__ref", "rag"))
    assert rags == {"1": "G", "2": "A", "3": "R", "4": "A"}
    created = ProgressUpdate.objects.get(activity__commitment__ref="1", kind=ProgressUpdate.Kind.CREATED)
    assert created.changes == {"rag_as_written": ["", "On track"]}  # the original value kept in the update
    assert '"On track" is read as Green; the update records it as written.' in planned.rules


def test_five_level_ratings_take_the_worse_colour_and_the_rule_is_shown(editor):
    rows = [["#", "Action", "Owner", "RAG"], ["Strand"]]
    rows += [
        [i, f"Action number {i} in the plan.", "Supt Paley", v]
        for i, v in enumerate(["Red", "Amber/Red", "Amber", "AG", "Green"], 1)
    ]
    planned = plan_for(workbook(rows))
    assert [a.fields["rag"] for a in planned.activities] == ["R", "R", "A", "A", "G"]
    assert planned.rules[0].startswith("Five-level ratings are mapped to the worse of their two colours")


@pytest.mark.parametrize(
    "numbering", ["(1) {} (2) Report back.", "1) {}\n2) Report back.", "1. {}", "(a) {}", "(i) {}", "• {}"]
)
def test_a_numbered_list_in_the_activity_cell_is_text_not_a_sub_reference(numbering, editor):
    rows = [["Ref", "Plan commitment", "Supporting activity", "Progress update"], ["Objective one"]]
    rows += [
        ["1.1", "First commitment.", numbering.format("Consult partners."), "Going well."],
        ["1.2", "Second commitment.", numbering.format("Produce a plan."), "Going well."],
    ]
    planned = plan_for(workbook(rows))
    assert not planned.errors, [e.message for e in planned.errors]
    assert [(a.sub_ref, a.text) for a in planned.activities] == [
        ("", numbering.format("Consult partners.")),
        ("", numbering.format("Produce a plan.")),
    ]
    assert not [w for w in planned.warnings if "sub-reference" in w.message]


@pytest.mark.parametrize(
    ("ref", "cell", "sub_ref"),
    [
        ("A.1", "(A1.2) Review", "A1.2"),
        ("A1", "(A1.2) Review", "A1.2"),
        ("2.1", "(2.1.3) Review", "2.1.3"),
        ("D6", "((D6.1) Review", "D6.1"),
    ],
)
def test_a_bracketed_prefix_that_extends_the_commitments_ref_is_a_sub_reference(ref, cell, sub_ref, editor):
    rows = [
        ["Ref", "Plan commitment", "Supporting activity", "Progress update"],
        ["Objective one"],
        [ref, "A commitment.", cell, "x"],
    ]
    (activity,) = plan_for(workbook(rows)).activities
    assert (activity.sub_ref, activity.text) == (sub_ref, "Review")


def test_a_prefix_for_another_commitment_is_kept_as_text_with_a_warning(editor):
    rows = [
        ["Ref", "Plan commitment", "Supporting activity", "Progress update"],
        ["Objective one"],
        ["B.2", "A commitment.", "(C3.1) Review", "x"],
    ]
    planned = plan_for(workbook(rows))
    assert not planned.errors
    (activity,) = planned.activities
    assert (activity.sub_ref, activity.text) == ("", "(C3.1) Review")
    (warning,) = [w for w in planned.warnings if "does not extend" in w.message]
    assert (warning.row, warning.column) == (3, "C")


def test_a_sub_reference_need_only_be_unique_within_its_commitment(editor):
    rows = [["Ref", "Sub ref", "Supporting activity", "Progress update"], ["Objective one"]]
    rows += [
        ["1", "a", "First.", "x"],
        [None, "b", "Second.", "x"],
        ["2", "a", "Third.", "x"],
        [None, "a", "Fourth.", "x"],
    ]
    planned = plan_for(workbook(rows))
    assert [e.message for e in planned.errors] == ['Sub-reference "a" is used twice under commitment 2.']
    assert [(a.ref, a.sub_ref) for a in planned.activities] == [("1", "a"), ("1", "b"), ("2", "a"), ("2", "a")]


COMPETING = [
    ["#", "Action", "Owner", "Update", "Progress"],
    ["Prevention"],
    [
        1,
        "Launch a rural crime prevention campaign.",
        "Supt Paley",
        "Old news that should not be kept.",
        "Signed off by the board.",
    ],
]


def test_two_columns_competing_for_a_field_ask_once_and_the_answer_is_remembered_for_the_plan(
    editor, django_capture_on_commit_callbacks, eager_tasks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = Plan.objects.create(name="Charter")

    def upload():
        with django_capture_on_commit_callbacks(execute=True):
            run = services.import_upload(
                by=editor, upload=SimpleUploadedFile("t.xlsx", workbook(COMPETING)), plan=plan, as_at=AS_AT
            )
        run.refresh_from_db()
        return run

    run = upload()
    assert run.state == ImportRun.State.INVALID
    (info,) = run.preview["sheet_info"]
    assert info["unsure"] and "columns D and E could each be Progress update" in run.preview["errors"][0]["message"]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_remap(
            run=run, by=editor, columns={"Tracker": {3: "", 4: "progress"}}, profile_name="Quarterly tracker"
        )
    run.refresh_from_db()
    assert run.state == ImportRun.State.PREVIEWED, run.preview["errors"]
    profile = ImportProfile.objects.get()
    assert (profile.plan, profile.name, profile.columns) == (
        plan,
        "Quarterly tracker",
        {"*": {"update": "", "progress": "progress"}},
    )
    assert [u["text"] for u in run.preview["activities"][0]["updates"]] == ["Signed off by the board."]
    # Next quarter's workbook, same headers: the profile is found and used without asking.
    again = upload()
    assert again.state == ImportRun.State.PREVIEWED and again.profile == profile
    assert again.preview["profile"]["name"] == "Quarterly tracker"


def test_an_unknown_rag_value_is_listed_for_mapping_never_dropped_and_the_mapping_is_kept(
    editor, django_capture_on_commit_callbacks, eager_tasks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [
        ["#", "Action", "Owner", "RAG"],
        ["Strand"],
        [1, "First action of the plan.", "Supt Paley", "Purple"],
        [2, "Second action.", "CI Preece", "Purple"],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_upload(
            by=editor, upload=SimpleUploadedFile("t.xlsx", workbook(rows)), plan_name="Rainbow", as_at=AS_AT
        )
    run.refresh_from_db()
    assert run.state == ImportRun.State.INVALID
    assert run.preview["unknown_values"] == [{"kind": "rag", "value": "Purple", "rows": 2}]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_remap(run=run, by=editor, values={"rag": {"Purple": "R"}})
    run.refresh_from_db()
    assert run.state == ImportRun.State.PREVIEWED
    assert [a["fields"]["rag"] for a in run.preview["activities"]] == ["R", "R"]
    assert ImportProfile.objects.get().values == {"rag": {"purple": "R"}}


def test_nothing_recognised_shows_the_first_rows_and_a_chosen_header_row_and_columns_import_it(
    editor, django_capture_on_commit_callbacks, eager_tasks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [
        ["Col 1", "Col 2", "Col 3", "Col 4"],
        ["Prevention"],
        ["1", "Launch a campaign.", "Supt Paley", "Going well."],
        ["2", "Train officers.", "CI Preece", "Slipping."],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_upload(
            by=editor, upload=SimpleUploadedFile("t.xlsx", workbook(rows)), plan_name="Grid plan", as_at=AS_AT
        )
    run.refresh_from_db()
    assert run.state == ImportRun.State.INVALID
    (info,) = run.preview["sheet_info"]
    assert not info["recognised"] and info["grid"][0] == ["Col 1", "Col 2", "Col 3", "Col 4"]
    assert info["header_row"] == 1 and [c["samples"] for c in info["columns"]][1] == [
        "Launch a campaign.",
        "Train officers.",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_remap(
            run=run,
            by=editor,
            columns={"Tracker": {0: "ref", 1: "activity", 2: "owners", 3: "progress"}},
            header_rows={"Tracker": 1},
        )
    run.refresh_from_db()
    assert run.state == ImportRun.State.PREVIEWED, run.preview["errors"]
    assert run.preview["created"]["activities"] == 2


def test_the_command_line_maps_columns_saves_a_profile_and_uses_it_again(editor, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "tracker.xlsx"
    path.write_bytes(workbook(COMPETING))
    with pytest.raises(SystemExit):  # unsure: exit 1, nothing written
        call_command(
            "import_plan", str(path), "--plan", "Charter", "--as-user", "editor", "--update-date", "2026-09-30"
        )
    assert not Activity.objects.exists()
    call_command(
        "import_plan", str(path), "--plan", "Charter", "--as-user", "editor", "--update-date", "2026-09-30",
        "--map", "Update=-", "--map", "Progress=progress", "--profile", "Quarterly",
    )  # fmt: skip
    activity = Activity.objects.get()
    # The entry has no date of its own: it is recorded as at the update date, and marked undated so that
    # date is never shown as the update's (progress_on stays empty).
    assert (activity.progress, activity.progress_on, activity.created_on) == (
        "Signed off by the board.",
        None,
        date(2026, 9, 30),
    )
    entry = activity.updates.get(text="Signed off by the board.")
    assert (entry.on, entry.undated) == (date(2026, 9, 30), True)
    assert ImportProfile.objects.get().plan == Plan.objects.get(name="Charter")
    out = io.StringIO()
    call_command("import_plan", str(path), "--plan", "Charter", "--profile", "Quarterly", "--dry-run", stdout=out)
    assert "Import profile: Quarterly" in out.getvalue() and "ERROR" not in out.getvalue()


def test_a_map_option_naming_no_field_is_refused_in_plain_words(editor, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "tracker.xlsx"
    path.write_bytes(workbook(COMPETING))
    with pytest.raises(CommandError, match='"colour" is not a field'):
        call_command("import_plan", str(path), "--map", "Update=colour", "--dry-run")


def test_a_csv_tracker_in_windows_1252_imports(editor):
    text = (
        "Ref,Action,Owner/s,Date,RAG,Update\nPrevention\n"
        "3.1,Open the £2m hub – phase one,Supt O’Brien,Dec 22,G,Going well\n"
        "3.10,Close the old site,CI Preece,Jan 23,A,Slipping\n"
    )
    apply(text.encode("cp1252"), editor, filename="tracker.csv")
    assert sorted(Activity.objects.values_list("commitment__ref", "text", "rag")) == [
        ("3.1", "Open the £2m hub – phase one", "G"),
        ("3.10", "Close the old site", "A"),
    ]
