"""The update date an import suggests: from a title, the file name, or the date the file was saved."""

from datetime import date

import pytest

from core.tabular.dating import date_named_in, suggest_update_date

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Delivery plan: latest update available to the end of December 2019", date(2019, 12, 31)),
        ("Local Policing Community Charter Delivery Plan (July 2022)", date(2022, 7, 31)),
        ("Delivery Plan Extract Q3 2019/20", date(2019, 12, 31)),
        ("Q4 2022/23", date(2023, 3, 31)),
        ("Q1 2023-24 tracker", date(2023, 6, 30)),
        ("appendix-1 as at 30.09.2022", date(2022, 9, 30)),
        ("extract_2021-03-31", date(2021, 3, 31)),
        ("tracker 20191231", date(2019, 12, 31)),
    ],
)
def test_a_title_or_file_name_names_its_update_date(text, expected):
    assert date_named_in(text) == expected


@pytest.mark.parametrize("text", ["Appendix 1", "Safer West Mercia Plan 2022-2025", "Delivery Plan Extract"])
def test_titles_naming_no_date_give_none(text):
    assert date_named_in(text) is None


def test_the_title_comes_first_then_the_file_name_then_the_saved_date():
    props = {"modified": date(2023, 1, 5)}
    title = suggest_update_date(
        titles=["Charter (July 2022)"], filename="q3 2022-12-31.xlsx", properties=props, today=TODAY
    )
    assert (title.on, title.reason) == (date(2022, 7, 31), 'from the title "Charter (July 2022)"')
    name = suggest_update_date(titles=["Appendix 1"], filename="q3 2022-12-31.xlsx", properties=props, today=TODAY)
    assert (name.on, name.reason) == (date(2022, 12, 31), "from the file name")
    saved = suggest_update_date(titles=[], filename="plan.xlsx", properties=props, today=TODAY)
    assert (saved.on, saved.reason) == (date(2023, 1, 5), "the date the file was last saved")
    nothing = suggest_update_date(titles=[], filename="plan.csv", properties={}, today=TODAY)
    assert nothing.on == TODAY


def test_a_suggested_date_is_never_in_the_future():
    assert suggest_update_date(titles=["Plan (July 2031)"], filename="x.xlsx", properties={}, today=TODAY).on == TODAY
