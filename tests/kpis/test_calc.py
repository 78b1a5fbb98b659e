"""The calculations against examples worked by hand."""

import pytest

from kpis import calc
from kpis.calc import Draft, Flags, Point


def test_a_change_in_a_count_is_in_per_cent():
    c = calc.change(110, 100, "count")
    assert c.value == pytest.approx(10.0)
    assert not c.in_points
    assert c.text() == "+10.0%"
    assert c.direction == "increase"


def test_a_change_in_a_percentage_is_in_percentage_points():
    c = calc.change(83.7, 80.2, "percentage")
    assert c.value == pytest.approx(3.5)
    assert c.in_points
    assert c.text() == "+3.5 pts"


def test_a_small_change_is_comparable_and_the_band_can_be_the_measures_own():
    assert calc.change(102, 100, "count").direction == "comparable"  # 2% < 5%
    assert calc.change(80.5, 80.0, "percentage").direction == "comparable"  # 0.5 pts < 1
    assert calc.change(102, 100, "count", band=1).direction == "increase"
    assert calc.change(94, 100, "count").direction == "decrease"


def test_there_is_no_per_cent_change_from_zero_or_from_nothing():
    assert calc.change(5, 0, "count").value is None
    assert calc.change(5, None, "count").value is None


def test_a_quarter_of_counts_is_their_sum():
    assert calc.quarter_value([Point(100), Point(120), Point(130)], "count") == 350


def test_a_quarter_of_percentages_is_weighted_by_numerators_and_denominators():
    # 40/50, 45/50, 10/20: (40+45+10)/(50+50+20) = 95/120 = 79.17%, not the mean of 80, 90 and 50 (73.33%)
    months = [Point(80, 40, 50), Point(90, 45, 50), Point(50, 10, 20)]
    assert calc.quarter_value(months, "percentage") == pytest.approx(79.1667, abs=1e-4)


def test_a_quarter_of_percentages_without_denominators_is_their_mean():
    assert calc.quarter_value([Point(80), Point(90), Point(50)], "percentage") == pytest.approx(73.3333, abs=1e-4)


def test_a_quarter_with_a_month_missing_has_no_value():
    assert calc.quarter_value([Point(1), None, Point(3)], "count") is None


def test_rolling_twelve_months_adds_up_counts_and_needs_all_twelve():
    months = [Point(v) for v in range(1, 13)]
    assert calc.rolling_12(months, "count") == 78
    assert calc.rolling_12(months[1:], "count") is None
    assert calc.rolling_12([None, *months[1:]], "count") is None


def test_a_rate_per_thousand_population():
    assert calc.rate(1500, 300_000, 1000) == pytest.approx(5.0)
    assert calc.rate(1500, 300_000, 100_000) == pytest.approx(500.0)
    assert calc.rate(1500, None) is None


def test_xmr_mean_and_limits_come_from_the_mean_moving_range_over_the_baseline():
    # mean 11; moving ranges 2, 1, 2, 4 -> 2.25; limits 11 +/- 2.66 x 2.25 = 5.015 and 16.985
    limits = calc.xmr_limits([10, 12, 11, 13, 9, 100, 100], baseline=5)
    assert limits.mean == pytest.approx(11)
    assert limits.moving_range == pytest.approx(2.25)
    assert limits.upper == pytest.approx(16.985)
    assert limits.lower == pytest.approx(5.015)
    assert limits.baseline == 5


def test_the_baseline_is_every_point_when_there_are_fewer():
    assert calc.xmr_limits([10, 12], baseline=20).baseline == 2
    assert calc.xmr_limits([10], baseline=20) is None


BASE = [10, 12, 11, 13, 9]  # mean 11, limits 5.015 .. 16.985


def _flags(values, baseline=5):
    return calc.special_causes(values, calc.xmr_limits(values, baseline))


def test_a_point_outside_the_limits_is_special_cause():
    flags = _flags([*BASE, 17, 5])
    assert flags[5].outside == "high"
    assert flags[6].outside == "low"
    assert not any(f.special for f in flags[:5])


def test_seven_points_on_one_side_of_the_mean_are_a_run():
    flags = _flags([*BASE, 12, 12, 12, 12, 12, 12, 12])
    assert [f.run for f in flags[5:]] == ["high"] * 7
    assert flags[-1].run_length == 7
    assert flags[4].run == ""


def test_six_points_on_one_side_are_not_a_run():
    assert not any(f.run for f in _flags([*BASE, 12, 12, 12, 12, 12, 12]))


def test_a_point_on_the_mean_ends_a_run():
    assert not any(f.run for f in _flags([*BASE, 12, 12, 12, 11, 12, 12, 12, 12]))


def test_seven_points_each_rising_are_a_trend_and_six_are_not():
    wide = [10, 20, 10, 20, 10]  # mean 14, moving range 10, limits -12.6 .. 40.6
    rising = _flags([*wide, 8, 9, 10, 11, 12, 13, 14])
    assert [f.trend for f in rising[5:]] == ["high"] * 7
    assert not any(f.trend for f in _flags([*wide, 8, 9, 10, 11, 12, 13]))


def test_seven_points_each_falling_are_a_trend_and_an_equal_point_ends_it():
    wide = [10, 20, 10, 20, 10]
    assert [f.trend for f in _flags([*wide, 20, 19, 18, 17, 16, 15, 14])[5:]] == ["low"] * 7
    assert not any(f.trend for f in _flags([*wide, 20, 19, 18, 18, 17, 16, 15, 14]))


@pytest.mark.parametrize(
    ("polarity", "side", "code"),
    [
        ("higher", "high", "improvement"),
        ("higher", "low", "concern"),
        ("lower", "high", "concern"),
        ("lower", "low", "improvement"),
        ("increase", "high", "improvement"),
        ("neutral", "high", "neither"),
    ],
)
def test_the_variation_judgement_follows_the_polarity(polarity, side, code):
    v = calc.variation(Flags(outside=side), polarity)
    assert v.code == code
    assert v.icon == ("H" if side == "high" else "L")
    assert v.label  # always words as well as the icon


def test_common_cause_is_within_the_expected_range():
    v = calc.variation(Flags(), "higher")
    assert v.code == "common"
    assert "within the expected range" in v.label


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (91, "higher", "G"),
        (90, "higher", "G"),
        (89, "higher", "A"),
        (88, "higher", "A"),  # misses by exactly the tolerance (2)
        (87.9, "higher", "R"),
        (91, "increase", "G"),
        (87, "increase", "R"),
        (89, "lower", "G"),
        (91, "lower", "A"),
        (92.1, "lower", "R"),
        (91, "neutral", ""),
    ],
)
def test_rag_against_a_target_of_90_with_a_tolerance_of_2(value, polarity, expected):
    assert calc.rag(value, 90, 2, polarity) == expected


def test_no_target_is_not_rated():
    assert calc.rag(91, None, None, "higher") == ""


def test_assurance_compares_the_target_with_the_process_limits():
    limits = calc.Limits(mean=85, upper=88, lower=82, moving_range=1.1, baseline=20)
    assert calc.assurance(limits, 90, "higher")[0] == "fail"
    assert calc.assurance(limits, 80, "higher")[0] == "pass"
    assert calc.assurance(limits, 85, "higher")[0] == "hit_and_miss"
    assert calc.assurance(limits, 90, "lower")[0] == "pass"


def test_the_drafted_sentence_for_an_increase_above_the_average():
    d = Draft(noun="quarter", previous=calc.change(120, 100, "count"), mean=105, value=120, flags=Flags())
    assert calc.draft_sentence(d) == (
        "Increase on previous quarter and above the quarterly average; within the expected range."
    )


def test_the_drafted_sentence_counts_a_run_in_the_papers_words():
    d = Draft(
        noun="month", previous=calc.change(101, 100, "count"), mean=90, value=101, flags=Flags(run="high", run_length=7)
    )
    assert calc.draft_sentence(d) == (
        "Comparable on previous month and above the monthly average; 7th consecutive month above the monthly average."
    )


def test_the_drafted_sentence_names_areas_with_exceptional_volumes():
    d = Draft(
        noun="month", previous=calc.change(90, 100, "count"), mean=95, value=90, flags=Flags(),
        exceptional_areas=[("Shropshire", "high")],
    )  # fmt: skip
    assert calc.draft_sentence(d) == (
        "Decrease on previous month and below the monthly average; within the expected range; "
        "exceptional volumes in Shropshire."
    )


def test_the_drafted_sentence_for_a_point_outside_the_limits():
    d = Draft(noun="month", mean=50, value=80, flags=Flags(outside="high"))
    assert calc.draft_sentence(d) == (
        "Above the monthly average; outside the expected range (above the upper process limit)."
    )


def test_no_data_says_so():
    assert calc.draft_sentence(Draft(noun="month")) == "No data for this period."
