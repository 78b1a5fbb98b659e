"""The plan's own workbook offers only the values the importer accepts in its RAG and Status columns
(dropdowns that refuse anything else), so the file that comes back is clean."""

import io
from datetime import date

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from delivery import services
from delivery.importers.columns import NATIVE_COLUMNS
from delivery.importers.native import native_workbook
from delivery.models import Activity, Rag, Status
from tests.factories import make_activity

pytestmark = pytest.mark.django_db
AS_AT = date(2026, 11, 21)


@pytest.fixture
def plan(editor):
    plan = services.plan_create(by=editor, name="Safer Testshire Plan")
    objective = services.objective_create(by=editor, plan=plan, title="Putting victims and survivors first")
    commitment = services.commitment_create(by=editor, objective=objective, ref="1.1", text="Support victims")
    rows = [(Rag.RED, Status.IN_PROGRESS), (Rag.NOT_RATED, Status.NOT_STARTED), (Rag.GREEN, Status.ON_HOLD)]
    for rag, status in rows:
        make_activity(commitment=commitment, text=f"Activity {status}", rag=rag, status=status, by=editor)
    return plan


def validations(data: bytes) -> dict[str, object]:
    """The workbook's list validations by the column they cover, named by its header."""
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = {get_column_letter(i + 1): label for i, (_name, label, _width) in enumerate(NATIVE_COLUMNS)}
    found = {}
    for validation in ws.data_validations.dataValidation:
        (cells,) = validation.sqref.ranges
        assert cells.min_col == cells.max_col, "one column per validation"
        found[headers[get_column_letter(cells.min_col)]] = validation
    return found


def test_rag_and_status_columns_offer_only_the_allowed_values_as_a_dropdown(plan):
    found = validations(native_workbook(plan=plan))
    assert set(found) == {"RAG", "Status"}
    rag, status = found["RAG"], found["Status"]
    assert rag.type == status.type == "list"
    assert rag.formula1 == '"R,A,G"' and rag.allow_blank  # blank: not rated
    assert status.formula1 == '"Not started,In progress,Complete,On hold,Closed"'
    assert rag.errorStyle in (None, "stop") and status.errorStyle in (None, "stop")  # None: the default, stop
    assert rag.showErrorMessage and status.showErrorMessage
    assert "leave it blank for not rated" in rag.prompt and rag.showInputMessage


def test_the_validation_covers_every_row_below_the_header_including_rows_a_user_adds(plan):
    for validation in validations(native_workbook(plan=plan)).values():
        (cells,) = validation.sqref.ranges
        assert (cells.min_row, cells.max_row) == (2, 1_048_576)


def test_every_exported_rag_and_status_is_one_the_dropdown_allows(plan):
    data = native_workbook(plan=plan)
    found = validations(data)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in ws[1]]
    for label in ("RAG", "Status"):
        allowed = found[label].formula1.strip('"').split(",")
        values = [row[header.index(label)] for row in ws.iter_rows(min_row=2, values_only=True)]
        assert len(values) == Activity.objects.count()
        assert all(value in allowed or (value is None and found[label].allow_blank) for value in values)
    assert None in [row[header.index("RAG")] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_export_then_import_still_changes_nothing(plan):
    planned = services.import_read_and_plan(
        data=native_workbook(plan=plan), filename="plan.xlsx", plan_name=plan.name, as_at=AS_AT
    )
    assert not planned.errors and planned.layout == "native"
    counts = planned.counts()
    assert sum(counts["created"].values()) == 0 and sum(counts["updated"].values()) == 0
    assert counts["unchanged"]["activities"] == 3
