"""The columns of the tracker's own workbook (layout 3), defined once: `native.py` writes them and
`layouts.py` reads them back. (field, label, width); the label is what the header row says."""

from __future__ import annotations

NATIVE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("objective_order", "Objective no.", 8),
    ("objective", "Objective", 30),
    ("section_order", "Section no.", 8),
    ("section", "Section", 24),
    ("ref", "Ref", 8),
    ("commitment", "Plan commitment", 40),
    ("commitment_publish", "Commitment publish", 10),
    ("sub_ref", "Sub-ref", 10),
    ("position", "Position", 8),
    ("activity", "Supporting activity", 50),
    ("owners", "Owner/s", 24),
    ("oversight", "Oversight mechanism(s)", 28),
    ("start", "Start date", 12),
    ("due", "Due date", 12),
    ("date_text", "Date as written", 16),
    ("status", "Status", 12),
    ("rag", "RAG", 6),
    ("progress_on", "Latest update date", 12),
    ("progress", "Latest update", 60),
    ("publish", "Publish", 8),
)
