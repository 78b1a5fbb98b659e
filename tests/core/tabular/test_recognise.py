"""Recognising columns by evidence: header words (with extra words and qualifiers) and the values below."""

from __future__ import annotations

import pytest

from core.tabular.recognise import FieldSpec, find_columns, header_words, score_header
from core.tabular.workbook import Cell

SPECS = [
    FieldSpec("ref", ("ref", "reference", "#", "no"), "ref"),
    FieldSpec("activity", ("activity", "action", "recommendation", "deliverable", "milestone", "task"), "text"),
    FieldSpec("owners", ("owner", "lead", "lead officer", "responsible", "accountable", "action owner"), "names"),
    FieldSpec("date", ("date", "due", "deadline", "timescale", "target date", "completion date"), "date"),
    FieldSpec("rag", ("rag", "rag status", "rating", "brag"), "rag", weak_words=("status",)),
    FieldSpec("status", ("status",), "status"),
    FieldSpec("progress", ("update", "progress", "position", "commentary", "narrative"), "update"),
]


def is_header(fields):
    return len(fields) >= 3 and "activity" in fields


def grid(*rows, fills=None):
    fills = fills or {}
    return [[Cell(v, fills.get((r, c))) for c, v in enumerate(row)] for r, row in enumerate(rows)]


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Action(s) / milestone", ["action", "milestone"]),
        ("Update – Q3 2023/24", ["update"]),
        ("Lead (officer)", ["lead", "officer"]),
        ("Key recommendation", ["recommendation"]),
        ("Current RAG", ["rag"]),
        ("Owner/s", ["owner"]),
        ("Oversight mechanism (s):", ["oversight", "mechanism"]),
        ("Progress (latest position, July)", ["progress", "position"]),
    ],
)
def test_header_words_drop_qualifiers_dates_and_plurals(header, words):
    assert header_words(header) == words


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Key recommendation", "activity"),
        ("Action(s) / milestone", "activity"),
        ("Lead (officer)", "owners"),
        ("Current RAG", "rag"),
        ("Update – Q3 2023/24", "progress"),
        ("Action owner", "owners"),  # the head noun decides
        ("Completion date", "date"),
        ("Narrative", "progress"),
    ],
)
def test_a_header_with_extra_words_scores_highest_for_its_field(header, field):
    scores = {s.name: score_header(header, s)[0] for s in SPECS}
    assert max(scores, key=scores.get) == field


def test_real_world_headers_are_recognised_and_extra_columns_are_not_imported():
    rows = grid(
        ["Local Policing Charter (July 2022)"],
        [
            "Ref.",
            "Key recommendation",
            "Directorate",
            "Lead (officer)",
            "Timescale",
            "Current RAG",
            "Update – Q3 2023/24",
        ],
        [1, "Launch a rural crime prevention campaign.", "Local Policing", "Supt Paley", "Oct 22", "G", "On plan."],
        [
            2,
            "Train SNT officers in problem solving.",
            "Business Services",
            "CI Preece",
            "Start Feb 23",
            "A",
            "Slipping.",
        ],
    )
    found = find_columns(rows, SPECS, is_header=is_header)
    assert found.header_index == 1
    assert found.fields == {"ref": 0, "activity": 1, "owners": 3, "date": 4, "rag": 5, "progress": 6}
    assert [c.header for c in found.not_imported()] == ["Directorate"]
    assert not found.unsure


def test_a_status_column_of_r_a_g_is_the_rag_and_of_status_words_is_the_status():
    def fields(values):
        rows = grid(
            ["#", "Action", "Owner", "Status"],
            *[[i, "Do the thing properly.", "Supt Paley", v] for i, v in enumerate(values, 1)],
        )
        return find_columns(rows, SPECS, is_header=is_header).fields

    assert fields(["R", "A", "G"])["rag"] == 3
    assert fields(["Not started", "In progress", "Complete"])["status"] == 3


def test_a_column_with_no_header_is_the_rag_when_it_holds_only_fills():
    fills = {(1, 3): "FFFF0000", (2, 3): "FF00B050"}
    rows = grid(
        ["#", "Action", "Owner", None],
        [1, "Do it well.", "Supt Paley", None],
        [2, "Do it again.", "CI Preece", None],
        fills=fills,
    )
    assert find_columns(rows, SPECS, is_header=is_header).fields["rag"] == 3


def test_two_columns_competing_for_one_field_are_reported_as_unsure():
    rows = grid(
        ["#", "Action", "Update", "Progress"],
        [1, "Do the thing properly.", "Going well so far this quarter.", "Going well so far this quarter too."],
    )
    found = find_columns(rows, SPECS, is_header=is_header)
    assert found.unsure and found.competing == {"progress": [2, 3]}


def test_a_saved_mapping_wins_over_the_guess_and_can_say_do_not_import():
    rows = grid(
        ["#", "Action", "Update", "Progress"], [1, "Do the thing properly.", "Old text here, long enough.", "New text."]
    )
    found = find_columns(rows, SPECS, is_header=is_header, mapping={"update": "", "progress": "progress"})
    assert found.fields["progress"] == 3 and not found.unsure
    assert [c.field for c in found.columns] == ["ref", "activity", "", "progress"]


def test_a_sentence_in_a_data_row_is_never_taken_for_a_header():
    rows = grid(
        [1, "Action on the owner's update: agree the date and the RAG", "Lead", "Update the status"],
        ["#", "Action", "Owner", "RAG"],
    )
    assert find_columns(rows, SPECS, is_header=is_header).header_index == 1


def test_no_header_row_at_all_gives_none():
    assert find_columns(grid(["a", "b", "c"], [1, 2, 3]), SPECS, is_header=is_header) is None
