import calendar
import re
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.tabular.cells import (
    CellError,
    DateText,
    RagValue,
    UpdateText,
    clean_ref,
    clean_text,
    html_to_text,
    parse_date_text,
    parse_rag,
    split_owners,
    split_sub_ref,
    split_update_prefix,
)

MONTH_NAMES = [
    (m, name)
    for m in range(1, 13)
    for name in {calendar.month_name[m], calendar.month_abbr[m], *(["Sept"] if m == 9 else [])}
]


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def non_space(text: str) -> str:
    return "".join(text.split())


# --- Dates: due dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Dec 22", date(2022, 12, 31)),
        ("By Oct 22", date(2022, 10, 31)),
        ("Achieve by June 23", date(2023, 6, 30)),
        ("Complete by Jan 23", date(2023, 1, 31)),
        ("Product available by Jan 23", date(2023, 1, 31)),
        ("Solution rolled out by June 23", date(2023, 6, 30)),
        ("December 2022", date(2022, 12, 31)),
        ("by end of March 2024", date(2024, 3, 31)),
    ],
)
def test_a_month_named_as_a_target_is_due_on_the_last_day_of_that_month(text, due):
    assert parse_date_text(text) == DateText(start=None, due=due, text=text)


def test_achieve_by_month_is_the_last_day_of_that_month():
    assert parse_date_text("Achieve by June 23").due == date(2023, 6, 30)


def test_february_in_a_leap_year_is_due_on_the_29th():
    assert parse_date_text("Feb 24").due == date(2024, 2, 29)


def test_an_excel_date_cell_is_a_due_date_written_as_day_month_year():
    assert parse_date_text(date(2022, 10, 31)) == DateText(start=None, due=date(2022, 10, 31), text="31 Oct 2022")


def test_an_excel_datetime_cell_is_a_due_date_on_its_day():
    assert parse_date_text(datetime(2023, 3, 5, 0, 0)) == DateText(start=None, due=date(2023, 3, 5), text="5 Mar 2023")


@pytest.mark.parametrize("text", ["31/10/2022", "31/10/22", "Complete by 31/10/22", "31 Oct 2022", "2022-10-31"])
def test_an_explicit_day_in_text_is_the_due_date(text):
    assert parse_date_text(text).due == date(2022, 10, 31)


def test_month_names_and_case_do_not_matter():
    assert parse_date_text("by SEPT 2022").due == date(2022, 9, 30)
    assert parse_date_text("by september 22").due == date(2022, 9, 30)


# --- Dates: start dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Start Feb 23", date(2023, 2, 1)),
        ("Commence Nov 22", date(2022, 11, 1)),
        ("Commencing Sept 22", date(2022, 9, 1)),
        ("CPD to commence Nov 22", date(2022, 11, 1)),
        ("Starting April 2023", date(2023, 4, 1)),
    ],
)
def test_a_month_after_a_start_word_is_a_start_date_on_the_first_day(text, start):
    assert parse_date_text(text) == DateText(start=start, due=None, text=text)


def test_an_explicit_day_after_a_start_word_is_a_start_date():
    assert parse_date_text("Commence 01/11/22") == DateText(start=date(2022, 11, 1), due=None, text="Commence 01/11/22")


def test_start_immediately_then_by_a_month_is_a_due_date():
    assert parse_date_text("Start immediately BAU by Oct 22") == DateText(
        start=None, due=date(2022, 10, 31), text="Start immediately BAU by Oct 22"
    )


def test_text_with_a_start_and_a_completion_gives_both_dates():
    result = parse_date_text("Start Feb 23, complete by Dec 23")
    assert (result.start, result.due) == (date(2023, 2, 1), date(2023, 12, 31))


# --- Dates: neither ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Ongoing", "BAU", "TBC", "", None, "  "])
def test_ongoing_bau_tbc_and_blank_give_no_dates(value):
    result = parse_date_text(value)
    assert (result.start, result.due) == (None, None)
    assert result.text == (value or "").strip()


@pytest.mark.parametrize("text", ["When funding allows", "31/02/22", "June 23rd", "Phase 2"])
def test_unrecognised_or_impossible_dates_give_no_dates_and_keep_the_text(text):
    assert parse_date_text(text) == DateText(start=None, due=None, text=text)


def test_date_text_is_stripped():
    assert parse_date_text("  Dec 22 \n").text == "Dec 22"


@settings(max_examples=200)
@given(
    month_name=st.sampled_from(MONTH_NAMES),
    yy=st.integers(0, 99),
    lead=st.sampled_from(["By", "Achieve by", "Complete by", "Product available by", "", "by end of"]),
    upper=st.booleans(),
)
def test_any_month_named_as_a_target_is_due_on_its_last_day(month_name, yy, lead, upper):
    month, name = month_name
    text = f"{lead} {name.upper() if upper else name} {yy:02d}"
    assert parse_date_text(text) == DateText(start=None, due=last_day(2000 + yy, month), text=text.strip())


@settings(max_examples=200)
@given(
    month_name=st.sampled_from(MONTH_NAMES),
    year=st.integers(1990, 2099),
    lead=st.sampled_from(["Start", "Commence", "Commencing", "CPD to commence", "Starting", "start"]),
)
def test_any_month_after_a_start_word_starts_on_its_first_day(month_name, year, lead):
    month, name = month_name
    assert parse_date_text(f"{lead} {name} {year}").start == date(year, month, 1)


@settings(max_examples=200)
@given(st.text())
def test_date_text_never_loses_any_of_the_cell_text(text):
    assert non_space(parse_date_text(text.replace("<", " ")).text) == non_space(text.replace("<", " "))


# --- Owners --------------------------------------------------------------------------------------


def test_owners_split_on_a_slash():
    assert split_owners("Corporate Comms Supt Paley / CI Preece") == ["Corporate Comms Supt Paley", "CI Preece"]


def test_an_undelimited_owner_string_is_one_owner():
    assert split_owners("SNT Ch Insp Safer Roads team OPU") == ["SNT Ch Insp Safer Roads team OPU"]


def test_owners_split_on_commas_semicolons_ampersands_and_new_lines():
    assert split_owners("Supt Paley, CI Preece; DCC Khan & ACC Jones\nHead of Finance") == [
        "Supt Paley",
        "CI Preece",
        "DCC Khan",
        "ACC Jones",
        "Head of Finance",
    ]


def test_and_is_not_an_owner_separator():
    assert split_owners("Learning and Development / HR") == ["Learning and Development", "HR"]


def test_owner_names_are_tidied_and_repeats_dropped_keeping_the_first_spelling():
    assert split_owners("  CI   Preece //  ci preece ; Supt Paley;; ") == ["CI Preece", "Supt Paley"]


@pytest.mark.parametrize("value", [None, "", "   ", " / ; "])
def test_no_owners_is_an_empty_list(value):
    assert split_owners(value) == []


owner_names = (
    st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd"], max_codepoint=0x24F) | st.just(" "), min_size=1)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@settings(max_examples=200)
@given(
    names=st.lists(owner_names, min_size=1, max_size=6, unique_by=str.casefold),
    data=st.data(),
)
def test_owners_joined_with_any_separators_split_back_to_the_same_names(names, data):
    joined = names[0]
    for name in names[1:]:
        separator = data.draw(st.sampled_from(["/", ",", ";", "&", "\n", "\r\n"]))
        spaces = data.draw(st.sampled_from(["", " ", "  "]))
        joined += f"{spaces}{separator}{spaces}{name}"
    assert split_owners(joined) == names


# --- RAG -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R", RagValue("R", False)),
        ("A", RagValue("A", False)),
        ("G", RagValue("G", False)),
        ("Red", RagValue("R", False)),
        ("amber", RagValue("A", False)),
        (" GREEN ", RagValue("G", False)),
        ("B", RagValue("", True)),
        ("Blue", RagValue("", True)),
        ("Complete", RagValue("", True)),
        ("completed", RagValue("", True)),
        ("Amber/Green", RagValue("A", False)),
        ("Red / Amber", RagValue("R", False)),
    ],
)
def test_rag_text_is_read_in_any_case(text, expected):
    assert parse_rag(text) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_blank_rag_cell_without_fill_is_not_rated(value):
    assert parse_rag(value) == RagValue("", False)


@pytest.mark.parametrize(
    ("fill", "expected"),
    [
        ("FF0000", RagValue("R", False)),
        ("C00000", RagValue("R", False)),
        ("FFC000", RagValue("A", False)),
        ("FFFF00", RagValue("A", False)),
        ("F79646", RagValue("A", False)),
        ("00B050", RagValue("G", False)),
        ("92D050", RagValue("G", False)),
        ("00FF00", RagValue("G", False)),
        ("0070C0", RagValue("", True)),
        ("00B0F0", RagValue("", True)),
        ("4472C4", RagValue("", True)),
        ("FFFFFF", RagValue("", False)),
        ("D9D9D9", RagValue("", False)),
        ("000000", RagValue("", False)),
    ],
)
def test_a_blank_rag_cell_is_rated_by_its_fill_colour(fill, expected):
    assert parse_rag(None, fill) == expected


@pytest.mark.parametrize("fill", ["FFFF0000", "#ff0000", "ff0000", " #FF0000 "])
def test_fill_colours_may_have_an_alpha_a_hash_and_any_case(fill):
    assert parse_rag("", fill) == RagValue("R", False)


@pytest.mark.parametrize("fill", ["00000000", "not a colour", "", "12345"])
def test_no_fill_or_an_unreadable_fill_is_not_rated(fill):
    assert parse_rag(None, fill) == RagValue("", False)


def test_rag_text_wins_over_the_fill_colour():
    assert parse_rag("Green", "FF0000") == RagValue("G", False)


@pytest.mark.parametrize("text", ["X", "5", "Purple", 5])
def test_anything_else_in_a_rag_cell_is_an_error_the_office_can_fix(text):
    with pytest.raises(CellError) as error:
        parse_rag(text)
    assert str(error.value) == (
        f'"{text}" is not a RAG rating; expected R, A, G or B (Red, Amber, Green, Blue/Complete), or leave it blank.'
    )


# --- Progress updates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "290622 – text",
        "290622 - text",
        "290622—text",
        "290622: text",
        "29/06/22 - text",
        "29/06/2022 – text",
        "29.06.22 - text",
        "29-06-22 – text",
        "29/06/22 text",
    ],
)
def test_an_update_starting_with_a_date_is_split_into_its_date_and_text(value):
    assert split_update_prefix(value) == UpdateText(on=date(2022, 6, 29), text="text")


def test_an_update_without_a_date_keeps_all_its_text():
    assert split_update_prefix("Meeting held with partners.") == UpdateText(None, "Meeting held with partners.")


def test_a_blank_update_is_empty():
    assert split_update_prefix(None) == UpdateText(None, "")


@pytest.mark.parametrize(("value", "prefix"), [("296023 – text", "296023"), ("31/02/22 - x", "31/02/22")])
def test_an_impossible_update_date_is_a_warning_and_the_whole_text_is_kept(value, prefix):
    assert split_update_prefix(value) == UpdateText(
        on=None,
        text=value,
        warning=f'"{prefix}" at the start of the update is not a real date; the update is kept without a date.',
    )


def test_an_update_in_html_is_converted_before_its_date_is_read():
    assert split_update_prefix("<p>290622 – Board met.</p><ul><li>Agreed plan</li></ul>") == UpdateText(
        on=date(2022, 6, 29), text="Board met.\n• Agreed plan"
    )


update_text = (
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<\r\x85\u2028\u2029"), min_size=1)
    .map(lambda s: "\n".join(line.rstrip() for line in s.replace("\xa0", " ").split("\n")).strip())
    .filter(bool)
)


@settings(max_examples=200)
@given(
    on=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    fmt=st.sampled_from(["%d%m%y", "%d/%m/%y", "%d/%m/%Y", "%d.%m.%y", "%d-%m-%y"]),
    separator=st.sampled_from([" – ", " - ", " — ", "–", ": ", " -"]),
    text=update_text,
)
def test_any_dated_update_round_trips_to_its_date_and_text(on, fmt, separator, text):
    assert split_update_prefix(f"{on.strftime(fmt)}{separator}{text}") == UpdateText(on=on, text=text)


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(exclude_characters="<")))
def test_an_update_never_loses_text(value):
    result = split_update_prefix(value)
    if result.on is None:
        assert non_space(result.text) == non_space(value)
    else:
        assert non_space(value).endswith(non_space(result.text))


# --- HTML and text -------------------------------------------------------------------------------


def test_html_paragraphs_and_list_items_become_lines():
    html = (
        '<p>Work with <i>partners</i> &amp; the <strong>council</strong>:</p>\n<ul style="margin: 0">\n'
        "  <li>Review   the strategy</li>\n  <li>Report&nbsp;to panel</li>\n</ul>\n<p>Next steps</p>"
    )
    expected = "Work with partners & the council:\n• Review the strategy\n• Report to panel\nNext steps"
    assert html_to_text(html) == expected


def test_html_line_breaks_are_kept_with_no_more_than_one_blank_line():
    assert html_to_text("one<br>two<br><br><br><br>three<p>&nbsp;</p><p></p><p>four</p>") == "one\ntwo\n\nthree\n\nfour"


def test_html_lines_are_stripped_and_the_whole_is_stripped():
    assert html_to_text("<p>   </p><div>  padded  </div>\n<p> </p>") == "padded"


def test_script_and_style_content_is_dropped():
    assert html_to_text("<style>p {color: red}</style><p>Text</p><script>alert(1)</script>") == "Text"


def test_word_comments_and_office_tags_are_dropped():
    assert html_to_text("<!--[if gte mso 9]><xml>x</xml><![endif]--><p>Text<o:p></o:p></p>") == "Text"


def test_inline_tags_keep_the_line_breaks_typed_in_the_cell():
    assert html_to_text("First line\nSecond <b>bold</b> line") == "First line\nSecond bold line"


def test_text_without_tags_only_has_its_whitespace_tidied():
    assert html_to_text("  a &amp; b  \r\nc\xa0d   \n\n\ne ") == "a &amp; b\nc d\n\n\ne"


HTML_PIECES = [
    *("<p>", "</p>", '<ul style="x">', "<li>", "</li>", "<br>", "<br/>", "<i>", "</i>", '<span class="a">', "</span>"),
    *("&amp;", "&nbsp;", "text", " ", "\n", "<", ">", "/", "p", "=", '"', "<b", "<o:p>", "<script>", "</script>"),
]


@settings(max_examples=200)
@given(st.lists(st.sampled_from(HTML_PIECES)))
def test_html_never_lets_a_tag_through(parts):
    assert not re.search(r"<[A-Za-z/][^<>]*>", html_to_text("".join(parts)))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (17, "17"),
        (17.0, "17"),
        (3.5, "3.5"),
        (date(2022, 10, 31), "2022-10-31"),
        (datetime(2022, 10, 31), "2022-10-31"),
        ("  text  ", "text"),
        ("<p>one</p><p>two</p>", "one\ntwo"),
        ("a < b and 3 > 2", "a < b and 3 > 2"),
    ],
)
def test_clean_text_gives_the_text_a_reader_sees(value, text):
    assert clean_text(value) == text


# --- References ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("(A1.2) Conduct a review", ("A1.2", "Conduct a review")),
        ("((D6.1) Deliver the training", ("D6.1", "Deliver the training")),
        ("<p>(D3.1) Work with partners</p>", ("D3.1", "Work with partners")),
        ("(2.1.3) x", ("2.1.3", "x")),
        ("(B2.17)x", ("B2.17", "x")),
        ("(b2.1) lower case", ("b2.1", "lower case")),
    ],
)
def test_a_supporting_activity_may_start_with_a_sub_reference_in_brackets(value, expected):
    assert split_sub_ref(value) == expected


@pytest.mark.parametrize("value", ["(see note) text", "Conduct a review (A1.2)", "(ABCD1) text"])
def test_text_without_a_leading_sub_reference_is_kept_whole(value):
    assert split_sub_ref(value) == ("", value)


def test_a_blank_supporting_activity_has_no_sub_reference_or_text():
    assert split_sub_ref(None) == ("", "")


@pytest.mark.parametrize(
    ("value", "ref"),
    [
        ("1.1", "1.1"),
        ("A.1", "A.1"),
        ("C2", "C2"),
        ("3.10", "3.10"),
        ("D10", "D10"),
        ("17", "17"),
        (3.1, "3.1"),
        (17.0, "17"),
        (17, "17"),
        (3.1000000000000001, "3.1"),
        (" 1.1. ", "1.1"),
        ("2.3:", "2.3"),
        (None, ""),
    ],
)
def test_commitment_refs_read_as_the_office_writes_them(value, ref):
    assert clean_ref(value) == ref
