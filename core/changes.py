"""How a progress update's `changes` ({field: [before, after]}) read to a person: "RAG: Green → Amber"."""

from __future__ import annotations

from datetime import date

from core import rag as rag_scale
from core import status as status_scale

LABELS = {
    "rag": "RAG",
    "status": "Status",
    "start_date": "Start date",
    "due_date": "Due date",
    "date_text": "Date as written",
    "owners": "Owners",
    "oversight_bodies": "Oversight bodies",
    "sub_ref": "Sub-reference",
    "text": "Activity",
    "publish": "Published in extracts",
}


def label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " ").capitalize())


def value(value, field: str) -> str:
    if value in (None, "", []):
        return "—" if field != "rag" else "Not rated"
    if field == "rag":
        return rag_scale.word(value)
    if field == "status":
        return status_scale.label(value)
    if field in ("start_date", "due_date"):
        try:
            return date.fromisoformat(value).strftime("%-d %b %Y")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe(changes: dict | None) -> str:
    """One line per changed field: "RAG: Green → Amber"."""
    lines = []
    for field, pair in (changes or {}).items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list | tuple) else (None, pair)
        lines.append(f"{label(field)}: {value(before, field)} → {value(after, field)}")
    return "\n".join(lines)
