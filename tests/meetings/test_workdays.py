"""Response due dates in working days: weekends and England and Wales bank holidays don't count,
from the package's bundled list (never the network)."""

from datetime import date

import pytest

from meetings.workdays import add_working_days, bank_holidays, is_working_day, known_until, working_days_between


def test_easter_2025_good_friday_and_easter_monday_are_not_working_days():
    assert not is_working_day(date(2025, 4, 18))
    assert not is_working_day(date(2025, 4, 21))
    assert is_working_day(date(2025, 4, 22))


def test_a_request_sent_the_day_before_good_friday_skips_the_long_weekend():
    # Thu 17 Apr 2025 + 1 working day: not Good Friday, not the weekend, not Easter Monday.
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)
    # 20 working days from Thu 17 Apr 2025 cross Easter and the early May bank holiday (5 May).
    assert add_working_days(date(2025, 4, 17), 20) == date(2025, 5, 20)


def test_without_a_bank_holiday_twenty_working_days_are_four_weeks():
    assert add_working_days(date(2025, 6, 2), 20) == date(2025, 6, 30)


def test_scottish_only_holidays_do_not_count_in_england_and_wales():
    # 2 January is a bank holiday in Scotland only; St Andrew's Day too.
    assert date(2025, 1, 2) not in bank_holidays()
    assert is_working_day(date(2025, 1, 2))


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(date(2025, 4, 17), date(2025, 4, 22)) == 1
    assert working_days_between(date(2025, 4, 17), date(2025, 5, 20)) == 20
    assert working_days_between(date(2025, 5, 20), date(2025, 5, 20)) == 0


def test_the_bundled_list_reaches_beyond_this_year_and_never_touches_the_network(monkeypatch):
    import requests

    from meetings import workdays

    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(requests, "get", refuse)
    workdays._calendar.cache_clear()
    workdays.bank_holidays.cache_clear()
    assert known_until() >= date(2026, 12, 25)
    assert date(2026, 12, 25) in bank_holidays()


@pytest.mark.parametrize("weekend_day", [date(2025, 6, 7), date(2025, 6, 8)])
def test_weekends_are_not_working_days(weekend_day):
    assert not is_working_day(weekend_day)
