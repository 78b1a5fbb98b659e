"""The importer plug point: an app registers an importer by kind and `plan_file` runs its stages.

A small "names" importer is built here on core's reading and recognition only, as a KPI or meetings
importer would be, to show that nothing in the pipeline is particular to delivery plans."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook

from core.tabular import cells, importer
from core.tabular.importer import Importer, ImportOptions, Outcome
from core.tabular.layouts import Problems, as_int, cell_value, field_column, find_header_row, is_blank
from core.tabular.problems import Problem
from core.tabular.workbook import Workbook, read_workbook

AS_AT = date(2026, 11, 21)
HEADERS = {"name": "name", "score": "score", "points": "score"}


@dataclass
class NamesChangeSet:
    rows: list[dict] = field(default_factory=list)  # {"action": "create" | "update" | "unchanged", "name", "score"}
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"rows": self.rows, "errors": [e.as_json() for e in self.errors]}

    def versions_seen(self) -> dict[str, int]:
        return {}


class NamesImporter(Importer):
    kind = "test-names"
    label = "Names and scores"

    def __init__(self, store: dict[str, int]) -> None:
        self.store = store

    def read(self, data: bytes, options: ImportOptions) -> Workbook:
        return read_workbook(data, options.filename, need_styles=False)

    def recognise(self, book: Workbook, options: ImportOptions) -> tuple[list[tuple[str, int]], Problems]:
        rows: list[tuple[str, int]] = []
        problems = Problems()
        for sheet in book.sheets:
            found = find_header_row(sheet.rows, HEADERS)
            if found is None:
                problems.add(sheet.name, None, None, "No header row with Name and Score.", "warning")
                continue
            at, fields = found
            for index in range(at + 1, len(sheet.rows)):
                row, number = sheet.rows[index], sheet.row_number(index)
                if is_blank(row):
                    continue
                name = cells.clean_text(cell_value(row, fields["name"]))
                score = as_int(cell_value(row, fields["score"]))
                if not name:
                    problems.add(sheet.name, number, field_column(fields, "name"), "The name is empty.")
                elif score is None:
                    shown = cells.clean_text(cell_value(row, fields["score"]))
                    problems.add(sheet.name, number, field_column(fields, "score"), f'"{shown}" is not a number.')
                else:
                    rows.append((name, score))
        return rows, problems

    def plan(self, parsed: tuple[list[tuple[str, int]], Problems], options: ImportOptions) -> NamesChangeSet:
        rows, problems = parsed
        planned = []
        for name, score in rows:
            action = "create" if name not in self.store else "unchanged" if self.store[name] == score else "update"
            planned.append({"action": action, "name": name, "score": score})
        return NamesChangeSet(rows=planned, errors=problems.errors, warnings=problems.warnings)

    def unreadable(self, problem: Problem, options: ImportOptions) -> NamesChangeSet:
        return NamesChangeSet(errors=[problem])

    def apply(self, change_set: NamesChangeSet, *, by, source: str, seen_versions: dict[str, int]) -> Outcome:
        outcome = Outcome(created={"names": 0}, updated={"names": 0}, target_name="scores")
        counts = {"create": outcome.created, "update": outcome.updated}
        for row in change_set.rows:
            if row["action"] in counts:
                self.store[row["name"]] = row["score"]
                counts[row["action"]]["names"] += 1
        return outcome


def names_workbook(rows: list[list]) -> bytes:
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "Scores"
    sheet.append(["Quarterly scores"])
    sheet.append(["Name", "Score"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def store():
    data: dict[str, int] = {"Hereford": 3}
    importer.register(NamesImporter(data))
    try:
        yield data
    finally:
        importer.unregister(NamesImporter.kind)


def options(filename: str = "scores.xlsx") -> ImportOptions:
    return ImportOptions(filename=filename, as_at=AS_AT)


def test_a_registered_importer_is_found_by_its_kind_and_gone_once_unregistered(store):
    assert isinstance(importer.get("test-names"), NamesImporter)
    assert "test-names" in importer.kinds()
    importer.unregister("test-names")
    assert "test-names" not in importer.kinds()
    with pytest.raises(LookupError, match="No importer is registered for 'test-names'"):
        importer.get("test-names")


def test_an_importer_needs_a_kind():
    class Nameless(NamesImporter):
        kind = ""

    with pytest.raises(ValueError, match="needs a kind"):
        importer.register(Nameless({}))


def test_plan_file_reads_recognises_and_plans_create_update_and_unchanged(store):
    data = names_workbook([["Worcester", 5], ["Hereford", 3.0], ["Telford", "7"]])
    seen: list[int] = []
    change_set = importer.get("test-names").plan_file(data, options(), progress=seen.append)
    assert not change_set.errors
    assert [(r["action"], r["name"], r["score"]) for r in change_set.rows] == [
        ("create", "Worcester", 5),
        ("unchanged", "Hereford", 3),
        ("create", "Telford", 7),
    ]
    assert seen == [40, 70, 95]


def test_problems_carry_the_sheet_row_and_column_letter(store):
    data = names_workbook([["Worcester", "lots"], [None, 4], ["Telford", 7]])
    change_set = importer.get("test-names").plan_file(data, options())
    assert [(p.sheet, p.row, p.column, p.message) for p in change_set.errors] == [
        ("Scores", 3, "B", '"lots" is not a number.'),
        ("Scores", 4, "A", "The name is empty."),
    ]
    assert change_set.as_json()["errors"][0] == {
        "sheet": "Scores",
        "row": 3,
        "column": "B",
        "message": '"lots" is not a number.',
    }


def test_apply_writes_the_change_set_and_applying_it_again_changes_nothing(store):
    plugin = importer.get("test-names")
    data = names_workbook([["Worcester", 5], ["Hereford", 4]])
    first = plugin.apply(plugin.plan_file(data, options()), by=None, source="test", seen_versions={})
    assert store == {"Hereford": 4, "Worcester": 5}
    assert (first.created["names"], first.updated["names"]) == (1, 1)
    again = plugin.plan_file(data, options())
    assert {r["action"] for r in again.rows} == {"unchanged"}
    second = plugin.apply(again, by=None, source="test", seen_versions={})
    assert second.as_json()["created"] == {"names": 0} and second.as_json()["updated"] == {"names": 0}


@pytest.mark.parametrize("kind", ["test-names", "plan"])
def test_an_unreadable_file_gives_one_error_naming_the_file(store, kind):
    change_set = importer.get(kind).plan_file(b"not a workbook", options("notes.xlsx"))
    (error,) = change_set.errors
    assert (error.sheet, error.row, error.column) == ("notes.xlsx", None, None)
    assert "not an Excel workbook" in error.message
    assert not change_set.warnings


def test_the_delivery_plan_importer_is_registered_as_plan():
    from delivery.importers.plan_importer import PlanImporter

    plans = importer.get("plan")
    assert isinstance(plans, PlanImporter)
    assert (plans.kind, plans.label) == ("plan", "Delivery plan")
