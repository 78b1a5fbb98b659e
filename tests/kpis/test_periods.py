from datetime import date

import pytest

from kpis.periods import Period, parse_period, period_from_heading


@pytest.mark.parametrize(
    ("text", "start", "kind"),
    [
        ("2017-08", date(2017, 8, 1), "M"),
        ("2017-Q3", date(2017, 7, 1), "Q"),
        ("2017/18-Q2", date(2017, 7, 1), "Q"),
        ("2017/18-Q4", date(2018, 1, 1), "Q"),
        ("2017/18-Q1", date(2017, 4, 1), "Q"),
    ],
)
def test_the_command_line_names_a_month_a_calendar_quarter_or_a_financial_quarter(text, start, kind):
    assert parse_period(text) == Period(start, kind)


def test_a_period_that_is_not_one_is_refused_in_plain_words():
    with pytest.raises(ValueError, match="not a period"):
        parse_period("last quarter")


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Jul-17", Period.month(2017, 7)),
        ("Sep 2017", Period.month(2017, 9)),
        ("Sept 2017", Period.month(2017, 9)),
        ("September 2017", Period.month(2017, 9)),
        ("2017/18 Q2", Period.quarter(2017, 7)),
        ("Q2 2017/18", Period.quarter(2017, 7)),
        ("2017 Q3", Period.quarter(2017, 7)),
        (date(2017, 10, 1), Period.month(2017, 10)),
        ("2017-10-01", Period.month(2017, 10)),
        ("31/10/2017", Period.month(2017, 10)),
    ],
)
def test_column_headings_name_periods_in_the_ways_packs_write_them(heading, expected):
    assert period_from_heading(heading) == expected


@pytest.mark.parametrize(
    "heading", ["Total", "Average", "YTD", "Change", "% change", "Area", "2017", None, 42, "2017/19 Q2"]
)
def test_totals_averages_and_other_headings_are_not_periods(heading):
    assert period_from_heading(heading) is None


def test_a_financial_quarter_is_labelled_by_its_financial_year_and_a_calendar_one_by_its_months():
    q = Period.quarter(2018, 1)
    assert q.label("financial") == "2017/18 Q4"
    assert q.label("calendar") == "Jan–Mar 2018"
    assert q.key("calendar") == "2018-Q1"
    assert q.previous() == Period.quarter(2017, 10)
    assert q.year_earlier() == Period.quarter(2017, 1)
    assert q.end == date(2018, 3, 31)
