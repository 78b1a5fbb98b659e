"""Each section of the panel's covering report drafted from hand-worked data (pure functions)."""

from datetime import date

from panel import drafting
from panel.documents import parts
from panel.drafting import Example, MeasureRow, MeetingRow, Move, ObjectiveCounts, RequestRow

FROM, AS_AT = date(2025, 9, 30), date(2025, 12, 31)


def test_rag_changes_count_moves_per_rag_in_rag_order_and_new_activities_apart():
    moves = (
        [Move("A", "G")] * 12  # 12 to Green
        + [Move("G", "A")] * 2  # 2 to Amber
        + [Move("G", "R")]  # 1 to Red
        + [Move("G", "G")] * 5  # unchanged
        + [Move("", "B")] * 3  # 3 completed
        + [Move(None, "G")] * 2  # new since the last report
    )
    assert drafting.rag_changes(moves) == [
        "1 activity moved to Red",
        "2 activities moved to Amber",
        "12 activities moved to Green",
        "3 activities moved to Blue (complete)",
        "2 activities added to the plan",
    ]


def test_the_delivery_section_says_what_appendix_1_holds_the_counts_per_objective_and_the_change():
    draft = drafting.draft_delivery(
        plan="Safer West Mercia Plan",
        period_from=FROM,
        as_at=AS_AT,
        objectives=[
            ObjectiveCounts("1. Putting victims and survivors first", {"R": 1, "A": 2, "G": 7, "B": 0, "": 0}),
            ObjectiveCounts("2. Building a more secure West Mercia", {"G": 4, "B": 1}),
        ],
        moves=[Move("A", "G")] * 12,
    )
    text = draft.text
    assert "Appendix 1 is the extract of the Safer West Mercia Plan delivery plan" in text
    assert "as at 31 December 2025: 15 activities" in text
    assert "- 1. Putting victims and survivors first: 1 Red, 2 Amber, 7 Green" in text
    assert "- 2. Building a more secure West Mercia: 4 Green, 1 Blue (complete)" in text
    assert "Since the last report (30 September 2025), 12 activities moved to Green." in text
    assert any("2. Building a more secure West Mercia: 4 Green, 1 Blue (complete)" == s for s in draft.sources)


def test_the_delivery_section_says_so_when_nothing_changed():
    draft = drafting.draft_delivery(plan="P", period_from=FROM, as_at=AS_AT, objectives=[], moves=[Move("G", "G")])
    assert "No activity changed its RAG status since the last report (30 September 2025)." in draft.text


def test_examples_are_grouped_under_each_objective_in_plan_order():
    examples = [
        Example(2, "Building a more secure West Mercia", "B2.1", date(2025, 10, 3), "Op Snap: 400 submissions."),
        Example(1, "Putting victims and survivors first", "A1.2", date(2025, 11, 1), "Victims' Code audit done."),
        Example(2, "Building a more secure West Mercia", "B2.4", date(2025, 12, 2), "Drone team  trained."),
    ]
    draft = drafting.draft_examples(period_from=FROM, as_at=AS_AT, examples=examples)
    assert draft.text == (
        "1. Putting victims and survivors first\n- Victims' Code audit done.\n\n"
        "2. Building a more secure West Mercia\n- Op Snap: 400 submissions.\n- Drone team trained."
    )
    assert "A1.2, update of 01/11/2025" in draft.sources


def test_examples_say_so_when_none_were_marked():
    draft = drafting.draft_examples(period_from=FROM, as_at=AS_AT, examples=[])
    assert draft.text == "No progress updates between 30 September 2025 and 31 December 2025 were marked for the panel."


def test_holding_to_account_tables_the_meetings_lists_findings_and_the_awaited_requests():
    meetings = [
        MeetingRow(date(2025, 10, 14), "Formal", "Violence against women and girls", ["Outcome 16 use is falling."]),
        MeetingRow(date(2025, 11, 11), "Thematic", "Connecting with Communities", []),
    ]
    requests = [
        RequestRow("Custody times", date(2025, 10, 1), "answered", date(2025, 10, 29)),
        RequestRow("Stop and search", date(2025, 11, 3), "awaited", date(2026, 1, 5)),
        RequestRow("Drones", date(2025, 10, 2), "overdue", date(2025, 10, 30)),
    ]
    draft = drafting.draft_holding(period_from=FROM, as_at=AS_AT, meetings=meetings, requests=requests)
    table = next(p for p in parts(draft.text) if p.kind == "table")
    assert table.rows == [
        ["Month", "Type", "Subject area"],
        ["October 2025", "Formal", "Violence against women and girls"],
        ["November 2025", "Thematic", "Connecting with Communities"],
    ]
    assert "- Violence against women and girls: Outcome 16 use is falling." in draft.text
    assert "3 written requests were sent to the force; 1 answered and 2 awaited as at 31 December 2025." in draft.text
    assert "- Stop and search (sent 03/11/2025, response due 05/01/2026)" in draft.text
    assert "- Drones (sent 02/10/2025, response due 30/10/2025, overdue)" in draft.text
    assert "Custody times (sent" not in draft.text  # answered: counted, not listed as awaited


def test_holding_to_account_with_no_meetings_or_requests_says_so():
    draft = drafting.draft_holding(period_from=FROM, as_at=AS_AT, meetings=[], requests=[])
    assert "No holding-to-account meetings were held" in draft.text
    assert "No written requests were sent in the period." in draft.text


def test_performance_names_the_special_cause_and_off_target_measures_and_points_to_the_summary():
    measures = [
        MeasureRow("999 calls answered in 10 seconds", "84.2%", "90%", "R", ""),
        MeasureRow("Burglary", "310.0", "", "", "Special cause improvement: unusually low"),
        MeasureRow("Rape outcomes", "9.0%", "10%", "A", "Special cause concern: unusually low"),
        MeasureRow("Road deaths", "3.0", "", "G", ""),
    ]
    draft = drafting.draft_performance(period="Q3 2025/26", measures=measures)
    assert "The performance summary (Appendix 2) sets out 4 measures for Q3 2025/26" in draft.text
    assert "- 999 calls answered in 10 seconds: 84.2%; Red against target (90%)" in draft.text
    assert "- Burglary: 310.0; special cause improvement: unusually low" in draft.text
    assert "- Rape outcomes: 9.0%; Amber against target (10%); special cause concern: unusually low" in draft.text
    assert "Road deaths" not in draft.text


def test_performance_with_nothing_to_flag_says_so():
    draft = drafting.draft_performance(period="Q3", measures=[MeasureRow("Road deaths", "3", "", "G", "")])
    assert "No measure shows a special cause or is off target this period." in draft.text


def test_section_text_is_read_as_paragraphs_list_items_and_tables():
    got = parts("Intro line\n\n- one\n- two\n\nA | B\n1 | 2\n\nAfter")
    assert [(p.kind, p.text or p.rows) for p in got] == [
        ("p", "Intro line"), ("li", "one"), ("li", "two"), ("table", [["A", "B"], ["1", "2"]]), ("p", "After"),
    ]  # fmt: skip
