"""The update date of an import: the date its undated progress entries are as at. Suggested from what
the workbook says about itself, in this order: a title row ("latest update available to the end of
December 2019", "Delivery Plan (July 2022)", "Q3 2019/20"), a date in the file's name, the date the
file was last saved. The person importing confirms or changes it."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from . import cells

__all__ = ["SuggestedDate", "date_named_in", "suggest_update_date"]

_QUARTER = re.compile(r"\bQ(?P<q>[1-4])\b[\s,]*(?:FY\s*)?(?P<y1>\d{4}|\d{2})\s*[/-]\s*(?P<y2>\d{4}|\d{2})\b", re.I)
_QUARTER_CAL = re.compile(r"\bQ(?P<q>[1-4])\b[\s,]*(?P<y>\d{4})\b(?!\s*[/-])", re.I)


@dataclass(frozen=True)
class SuggestedDate:
    on: date
    reason: str  # plain words: 'from the title "…"', 'from the file name', 'the date the file was saved'


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def date_named_in(text: str) -> date | None:
    """The date a title or file name names: a financial-year quarter ("Q3 2019/20" is the end of
    December 2019), a day ("31/12/2019", "2019-12-31"), or a month ("end of December 2019",
    "(July 2022)": the month's last day). None when it names none."""
    text = text.replace("_", " ")
    m = _QUARTER.search(text)
    if m:
        q = int(m.group("q"))
        start_year = cells._year(m.group("y1"))
        year, month = (start_year, 3 + 3 * q) if q < 4 else (start_year + 1, 3)
        return _month_end(date(year, month, 1))
    m = _QUARTER_CAL.search(text)
    if m:
        return _month_end(date(int(m.group("y")), 3 * int(m.group("q")), 1))
    found = [m for m in cells._DATE_IN_TEXT.finditer(text)]
    for m in reversed(found):  # the last date named is the "as at" in "April 2019 to December 2019"
        hit = cells._found_date(m)
        if hit is None:
            continue
        day, whole_month = hit
        return _month_end(day) if whole_month else day
    m = re.search(r"(?<!\d)(?P<y>20\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)", text)  # 20191231 in a file name
    if m:
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            return None
    return None


def suggest_update_date(
    *, titles: Iterable[str], filename: str, properties: dict[str, Any] | None, today: date
) -> SuggestedDate:
    """The update date to suggest for an import; never later than today."""
    for title in titles:
        on = date_named_in(title)
        if on is not None and on.year > 1990:
            return SuggestedDate(min(on, today), f'from the title "{title[:120]}"')
    on = date_named_in(PurePath(filename).stem)
    if on is not None and on.year > 1990:
        return SuggestedDate(min(on, today), "from the file name")
    saved = (properties or {}).get("modified")
    if isinstance(saved, date):
        return SuggestedDate(min(saved, today), "the date the file was last saved")
    return SuggestedDate(today, "today's date (the workbook names no date)")
