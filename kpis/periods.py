"""Reporting periods: a month or a quarter, named by its first day.

A quarter is stored by its first month (January, April, July or October). Whether it is shown as a
calendar quarter (`2017 Q3`) or a financial one (`2017/18 Q2`, Q1 = April–June) is the measure's
period basis; the quarter itself is the same three months.

Parsing, for the command line (`2017-08`, `2017-Q3`, `2017/18-Q2`) and for workbook column headings
(`Jul-17`, `Sep 2017`, `September 2017`, `2017/18 Q2`, `Q2 2017/18`, `2017 Q3`, `2017-08`, real
dates). Headings such as `Total`, `Average`, `YTD`, `Change` are not periods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTH = "M"
QUARTER = "Q"
KINDS = ((MONTH, "Month"), (QUARTER, "Quarter"))

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORD = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_RE_MONTH_TEXT = re.compile(rf"^{_MONTH_WORD}[\s\-'/.]*(\d{{2}}|\d{{4}})$", re.I)  # Jul-17, Sep 2017, Sept '17
_RE_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")  # 2017-08
_RE_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")  # 2017-08-01, 2017-08-01 00:00:00
_RE_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")  # 01/08/2017
_RE_FY_Q = re.compile(
    r"^(?:FY\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})\s*[\s\-]?\s*Q([1-4])$", re.I
)  # 2017/18 Q2, 2017/18-Q2
_RE_Q_FY = re.compile(r"^Q([1-4])\s*(?:FY\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$", re.I)  # Q2 2017/18
_RE_CAL_Q = re.compile(r"^(\d{4})\s*[\s\-]?\s*Q([1-4])$", re.I)  # 2017-Q3, 2017 Q3
_RE_Q_CAL = re.compile(r"^Q([1-4])\s*[\s\-]?\s*(\d{4})$", re.I)  # Q3 2017


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _month_number(word: str) -> int:
    return MONTHS[word.lower()[:4] if word.lower().startswith("sept") else word.lower()[:3]]


@dataclass(frozen=True, order=True)
class Period:
    start: date  # the first day of the month or quarter
    kind: str = MONTH

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), MONTH)

    @classmethod
    def quarter(cls, year: int, first_month: int) -> Period:
        if first_month not in (1, 4, 7, 10):
            raise ValueError("A quarter starts in January, April, July or October.")
        return cls(date(year, first_month, 1), QUARTER)

    @classmethod
    def financial_quarter(cls, fy_start_year: int, q: int) -> Period:
        """Financial quarter q (1 = April–June) of the year that starts in April `fy_start_year`."""
        month = 4 + 3 * (q - 1)
        year = fy_start_year + (month - 1) // 12
        return cls.quarter(year, (month - 1) % 12 + 1)

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls.quarter(day.year, 3 * ((day.month - 1) // 3) + 1)

    @property
    def is_quarter(self) -> bool:
        return self.kind == QUARTER

    @property
    def months(self) -> int:
        return 3 if self.is_quarter else 1

    def shifted(self, months: int) -> Period:
        index = self.start.year * 12 + self.start.month - 1 + months
        return Period(date(index // 12, index % 12 + 1, 1), self.kind)

    def previous(self) -> Period:
        return self.shifted(-self.months)

    def next(self) -> Period:
        return self.shifted(self.months)

    def year_earlier(self) -> Period:
        return self.shifted(-12)

    @property
    def end(self) -> date:
        nxt = self.shifted(self.months).start
        return date.fromordinal(nxt.toordinal() - 1)

    def month_periods(self) -> list[Period]:
        return [Period(self.shifted(i).start, MONTH) for i in range(self.months)]

    @property
    def financial_year(self) -> str:
        y = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{y}/{(y + 1) % 100:02d}"

    @property
    def financial_q(self) -> int:
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def calendar_q(self) -> int:
        return (self.start.month - 1) // 3 + 1

    def key(self, basis: str = "financial") -> str:
        """The form the command line and URLs use: `2017-08`, `2017-Q3` or `2017/18-Q2`."""
        if not self.is_quarter:
            return f"{self.start:%Y-%m}"
        if basis == "calendar":
            return f"{self.start.year}-Q{self.calendar_q}"
        return f"{self.financial_year}-Q{self.financial_q}"

    def label(self, basis: str = "financial") -> str:
        """As people write it: `Aug 2017`, `2017/18 Q2` (financial) or `Jul–Sep 2017` (calendar)."""
        if not self.is_quarter:
            return f"{self.start:%b %Y}"
        if basis == "calendar":
            return f"{self.start:%b}–{self.end:%b %Y}"
        return f"{self.financial_year} Q{self.financial_q}"

    def noun(self) -> str:
        return "quarter" if self.is_quarter else "month"

    def __str__(self) -> str:
        return self.key()


def parse_period(text: str) -> Period:
    """`2017-08` a month, `2017-Q3` a calendar quarter, `2017/18-Q2` a financial quarter; ValueError otherwise."""
    found = period_from_heading(text)
    if found is None:
        raise ValueError(
            f'"{text}" is not a period: give a month (2017-08), a calendar quarter (2017-Q3) '
            "or a financial quarter (2017/18-Q2)."
        )
    return found


def period_from_heading(value: object) -> Period | None:
    """The period a column heading (or a cell) names, or None when it names none."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Period.month(value.year, value.month)
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("\u2013", "-").replace("\u2014", "-").split()).strip()
    if not text or len(text) > 30:
        return None
    if m := _RE_MONTH_TEXT.match(text):
        return Period.month(_year(m.group(2)), _month_number(m.group(1)))
    if m := _RE_ISO_MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        return Period.month(year, month) if 1 <= month <= 12 else None
    if m := _RE_ISO_DATE.match(text):
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return Period.month(day.year, day.month)
    if m := _RE_UK_DATE.match(text):
        try:
            day = date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
        return Period.month(day.year, day.month)
    if (m := _RE_FY_Q.match(text)) or (m2 := _RE_Q_FY.match(text)):
        if m:
            start, end, q = int(m.group(1)), m.group(2), int(m.group(3))
        else:
            q, start, end = int(m2.group(1)), int(m2.group(2)), m2.group(3)
        if _year(end) % 100 != (start + 1) % 100:
            return None
        return Period.financial_quarter(start, q)
    if (m := _RE_CAL_Q.match(text)) or (m2 := _RE_Q_CAL.match(text)):
        year, q = (int(m.group(1)), int(m.group(2))) if m else (int(m2.group(2)), int(m2.group(1)))
        return Period.quarter(year, 3 * (q - 1) + 1)
    return None
