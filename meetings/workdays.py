"""Working days in England and Wales: weekdays that are not bank holidays.

The bank holidays come from the govuk-bank-holidays package's bundled copy of GOV.UK's list
(`use_cached_holidays=True`), so nothing is ever fetched over the network, at run time or in tests.
Upgrading the package updates the list. Dates past the end of the bundled list count only weekends
as non-working (`known_until()` says how far it goes).
"""

from __future__ import annotations

import functools
from datetime import date, timedelta


@functools.cache
def _calendar():
    from govuk_bank_holidays.bank_holidays import BankHolidays

    return BankHolidays(use_cached_holidays=True)


@functools.cache
def bank_holidays() -> frozenset[date]:
    cal = _calendar()
    return frozenset(h["date"] for h in cal.get_holidays(division=cal.ENGLAND_AND_WALES))


def known_until() -> date:
    return max(bank_holidays())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (the day sent is day 0, whatever it is)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if `end` is not after `start`)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
