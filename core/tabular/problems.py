"""A problem found in a file: where (sheet, row, column letter) and what, in plain words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str
    level: str = "error"  # or "warning"

    def as_json(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
