"""An import links the trails of the activities it creates as it builds them (no UPDATE afterwards):
the links must be exactly what link_trails would compute in the database, ties and blank entries too."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from delivery import services
from delivery.importers.apply import apply_change_set
from delivery.models import ProgressUpdate, link_trails

pytestmark = pytest.mark.django_db

UPDATES = [
    "",  # no entries: only the created update
    "Undated: as at the import's update date.",
    "010722 – Second on the day.\n010722 – Also on the first of July.\n150622 – Earlier, written last.",
    "300922 – After the update date.\n010622 – Before the activity was created.",
    "290622 – One entry.",
    "296023 – An impossible date keeps its text.\n050722 – A later one.",
]


def _tracker() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Charter tracker"])
    ws.append(["#", "Action", "Owner/s", "Date", "RAG", "Update"])
    ws.append(["Prevention"])
    for i, text in enumerate(UPDATES, start=1):
        ws.append([i, f"Action {i}: work with partners on the charter.", "Supt Paley", "Dec 22", "G", text])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _links() -> dict[int, tuple]:
    return {
        u["id"]: (u["next_on"], u["next_text_on"])
        for u in ProgressUpdate.objects.values("id", "next_on", "next_text_on")
    }


def test_trails_linked_while_building_match_link_trails(editor):
    planned = services.import_read_and_plan(
        data=_tracker(), filename="t.xlsx", plan_name="Charter", as_at=date(2022, 6, 30)
    )
    assert not planned.errors, [e.message for e in planned.errors]
    apply_change_set(planned, by=editor, source="Imported from t.xlsx")
    built = _links()
    assert len(built) >= len(UPDATES) + 7  # a created update each, and the dated entries
    assert any(nx is not None for nx, _ in built.values()) and any(nt is not None for _, nt in built.values())
    link_trails()  # every trail, recomputed in the database
    assert _links() == built
