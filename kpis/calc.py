"""The calculations, as plain functions of numbers: no models, no database. Every rule the pages state
is stated once here, in RULES, and the pages print it from there.

Values are in the measure's unit: a percentage is 83.7 (not 0.837); a rate is per 1,000 or per
100,000 people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

# Units and the scale of a weighted value (numerator / denominator x scale).
COUNT, PERCENTAGE, RATE_1000, RATE_100000, DAYS, DURATION, MONEY = (
    "count", "percentage", "rate_1000", "rate_100000", "days", "duration", "money"
)  # fmt: skip
SCALE = {PERCENTAGE: 100.0, RATE_1000: 1000.0, RATE_100000: 100000.0}
SUMMED = (COUNT, MONEY)  # quarters and rolling years add these up; every other unit is averaged
POINTS = (PERCENTAGE,)  # changes in these are percentage points; in every other unit, per cent

HIGHER, LOWER, INCREASE, NEUTRAL = "higher", "lower", "increase", "neutral"
UP_IS_GOOD = (HIGHER, INCREASE)

XMR_CONSTANT = 2.66  # process limits: mean +/- 2.66 x the mean moving range (NHS "Making Data Count")
RUN = 7  # points in a row on one side of the mean, or rising or falling, that count as special cause
DEFAULT_BASELINE = 20  # points the mean and limits are computed over, unless the measure says otherwise
COMPARABLE_PERCENT = 5.0  # a change smaller than this (per cent) is "comparable"...
COMPARABLE_POINTS = 1.0  # ...or this (percentage points), unless the measure gives its own band

RULES = {
    "change": (
        "Change is against the previous period and the same period last year: in percentage points for "
        "percentages, in per cent for every other unit."
    ),
    "comparable": (
        f"A change smaller than the measure's band (by default {COMPARABLE_PERCENT:g}% or "
        f"{COMPARABLE_POINTS:g} percentage point) is described as comparable."
    ),
    "quarter": (
        "A quarter from months: the sum for counts and money; for percentages and rates the weighted mean "
        "from numerators and denominators where every month has them, otherwise the mean of the months. "
        "Only a quarter with all three months is shown."
    ),
    "rolling": "Rolling 12 months: the last 12 months added up (counts, money) or averaged as for quarters.",
    "rate": (
        "A rate from population: value / population x 1,000 (or 100,000), using the area's population for that year."
    ),
    "xmr": (
        f"Control chart (XmR): the mean and the process limits (mean ± {XMR_CONSTANT} × the mean moving range) "
        "are computed over the baseline, the first points of the series (the measure's baseline, "
        f"by default {DEFAULT_BASELINE}, or all points when there are fewer)."
    ),
    "special": (
        f"Special cause: a point outside the process limits; a run of {RUN} or more points on one side of the mean "
        f"(a point on the mean ends the run); or {RUN} or more points in a row, each higher (or each lower) "
        "than the one "
        "before (an equal point ends it)."
    ),
    "variation": (
        "Variation: improvement or concern when the special cause is on the good or bad side for the measure's "
        "polarity; 'unusual' when the measure has no good direction; common cause otherwise."
    ),
    "assurance": (
        "Assurance: when the target lies outside the process limits the process will consistently pass (or fail) it; "
        "when it lies between them, it will hit and miss the target by chance."
    ),
    "rag": (
        "Status against target: Green when the value meets the target; Amber when it misses by no more than the "
        "tolerance; Red otherwise. 'Meets' follows the polarity (at or above for higher is better and increase "
        "wanted, at or below for lower is better). Neutral measures and measures without a target are not rated."
    ),
}


@dataclass(frozen=True)
class Point:
    value: float
    numerator: float | None = None
    denominator: float | None = None


# --- Changes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    value: float | None  # None when there is nothing to compare with (or the earlier value is 0 for a per cent)
    in_points: bool  # percentage points, else per cent
    comparable: bool = False

    @property
    def direction(self) -> str:
        if self.value is None:
            return ""
        if self.comparable:
            return "comparable"
        return "increase" if self.value > 0 else "decrease" if self.value < 0 else "no change"

    def text(self) -> str:
        if self.value is None:
            return "–"
        suffix = " pts" if self.in_points else "%"
        return f"{self.value:+.1f}{suffix}"


def change(current: float | None, earlier: float | None, unit: str, band: float | None = None) -> Change:
    """Per cent for counts and most units, percentage points for percentages, and whether it is small
    enough to call comparable."""
    in_points = unit in POINTS
    if current is None or earlier is None:
        return Change(None, in_points)
    if in_points:
        value = current - earlier
    elif earlier == 0:
        return Change(None, in_points)
    else:
        value = (current - earlier) / abs(earlier) * 100.0
    limit = band if band is not None else (COMPARABLE_POINTS if in_points else COMPARABLE_PERCENT)
    return Change(value, in_points, comparable=abs(value) < limit)


# --- Aggregation ---------------------------------------------------------------------------


def combine(points: Sequence[Point], unit: str) -> float | None:
    """Several periods as one: sum for counts and money; weighted mean from numerators and denominators
    when every point has them; otherwise the plain mean."""
    if not points:
        return None
    if unit in SUMMED:
        return sum(p.value for p in points)
    if all(p.numerator is not None and p.denominator for p in points):
        total = sum(p.denominator for p in points)  # type: ignore[misc]
        if total:
            return sum(p.numerator for p in points) / total * SCALE.get(unit, 1.0)  # type: ignore[misc]
    return sum(p.value for p in points) / len(points)


def quarter_value(months: Sequence[Point | None], unit: str) -> float | None:
    """A quarter from its three months; None unless all three are there."""
    if len(months) != 3 or any(m is None for m in months):
        return None
    return combine(months, unit)  # type: ignore[arg-type]


def rolling_12(months: Sequence[Point | None], unit: str) -> float | None:
    """The last 12 months as one figure; None unless all 12 are there."""
    last = list(months)[-12:]
    if len(last) < 12 or any(m is None for m in last):
        return None
    return combine(last, unit)  # type: ignore[arg-type]


def rate(count: float, population: float | None, per: int = 1000) -> float | None:
    if not population:
        return None
    return count / population * per


# --- Statistical process control (XmR) --------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    mean: float
    upper: float
    lower: float
    moving_range: float
    baseline: int  # points the limits were computed over


def xmr_limits(values: Sequence[float], baseline: int | None = None) -> Limits | None:
    """Mean and process limits from the first `baseline` points (all when fewer); None with fewer than 2."""
    n = min(len(values), baseline or DEFAULT_BASELINE)
    if n < 2:
        return None
    base = list(values[:n])
    mean = sum(base) / n
    ranges = [abs(b - a) for a, b in pairwise(base)]
    mr = sum(ranges) / len(ranges)
    return Limits(
        mean=mean, upper=mean + XMR_CONSTANT * mr, lower=mean - XMR_CONSTANT * mr, moving_range=mr, baseline=n
    )


@dataclass
class Flags:
    """Special-cause flags of one point: which rules it is part of, and on which side."""

    outside: str = ""  # "high" or "low"
    run: str = ""  # "high" (above the mean) or "low"
    run_length: int = 0  # its position in the run (7 = the 7th in a row)
    trend: str = ""  # "high" (rising) or "low" (falling)

    @property
    def special(self) -> bool:
        return bool(self.outside or self.run or self.trend)

    @property
    def side(self) -> str:
        """Which way the special cause points: high, low, or "" (none, or both at once)."""
        sides = {s for s in (self.outside, self.run, self.trend) if s}
        return sides.pop() if len(sides) == 1 else ""

    def reasons(self) -> list[str]:
        out = []
        if self.outside:
            out.append("above the upper process limit" if self.outside == "high" else "below the lower process limit")
        if self.run:
            out.append(
                f"{ordinal(self.run_length)} point in a row {'above' if self.run == 'high' else 'below'} the mean"
            )
        if self.trend:
            out.append(f"{RUN} or more points {'rising' if self.trend == 'high' else 'falling'}")
        return out


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def special_causes(values: Sequence[float], limits: Limits | None) -> list[Flags]:
    """Flags for each point: outside the limits; part of a run of RUN or more on one side of the mean;
    part of RUN or more points in a row each higher (or each lower) than the one before."""
    flags = [Flags() for _ in values]
    if limits is None:
        return flags
    for f, v in zip(flags, values, strict=True):
        if v > limits.upper:
            f.outside = "high"
        elif v < limits.lower:
            f.outside = "low"
    # Runs on one side of the mean; a point on the mean ends the run.
    start = 0
    for i in range(len(values) + 1):
        side = _side(values[i], limits.mean) if i < len(values) else ""
        prev = _side(values[start], limits.mean) if start < len(values) else ""
        if i == len(values) or side != prev or not side:
            if prev and i - start >= RUN:
                for k in range(start, i):
                    flags[k].run = prev
                    flags[k].run_length = k - start + 1
            start = i if side else i + 1
    # Trends: RUN or more points in a row, each above (or each below) the one before; a repeat ends it.
    steps = [_step(values, i) for i in range(len(values))]  # steps[0] is ""
    i = 1
    while i < len(values):
        j = i
        while j + 1 < len(values) and steps[j + 1] == steps[i] and steps[i]:
            j += 1
        if steps[i] and j - i + 2 >= RUN:  # steps i..j join points i-1..j
            for k in range(i - 1, j + 1):
                flags[k].trend = steps[i]
        i = j + 1
    return flags


def _side(value: float, mean: float) -> str:
    return "high" if value > mean else "low" if value < mean else ""


def _step(values: Sequence[float], i: int) -> str:
    if i <= 0 or i >= len(values):
        return ""
    return "high" if values[i] > values[i - 1] else "low" if values[i] < values[i - 1] else ""


# --- Judgements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variation:
    code: str  # "improvement", "concern", "neither", "common", "" (not enough data)
    side: str  # "high", "low" or ""
    label: str  # plain words, always shown
    icon: str  # the icon's text: H or L for special cause, ~ for common cause

    @property
    def is_special(self) -> bool:
        return self.code in ("improvement", "concern", "neither")


def variation(flags: Flags | None, polarity: str) -> Variation:
    """The variation judgement for one point (the latest, on a page), in plain words."""
    if flags is None:
        return Variation("", "", "Not enough data for a control chart", "?")
    if not flags.special:
        return Variation("common", "", "Common cause: within the expected range", "~")
    side = flags.side
    letter = {"high": "H", "low": "L"}.get(side, "!")
    higher_lower = {"high": "high", "low": "low"}.get(side, "unusual")
    if polarity == NEUTRAL or not side:
        return Variation("neither", side, f"Special cause: unusually {higher_lower}", letter)
    good = (side == "high") == (polarity in UP_IS_GOOD)
    if good:
        return Variation("improvement", side, f"Special cause improvement: unusually {higher_lower}", letter)
    return Variation("concern", side, f"Special cause concern: unusually {higher_lower}", letter)


def assurance(limits: Limits | None, target: float | None, polarity: str) -> tuple[str, str]:
    """(code, label): whether the process will meet its target."""
    if limits is None or target is None or polarity == NEUTRAL:
        return "", ""
    up = polarity in UP_IS_GOOD
    if limits.lower > target:
        passes = up
    elif limits.upper < target:
        passes = not up
    else:
        return "hit_and_miss", "Hit and miss: the target lies within the process limits"
    if passes:
        return "pass", "Consistently passes the target"
    return "fail", "Consistently fails the target: the process must change to meet it"


def rag(value: float | None, target: float | None, tolerance: float | None, polarity: str) -> str:
    """Green meets the target; Amber misses it by no more than the tolerance; Red otherwise; "" not rated."""
    if value is None or target is None or polarity == NEUTRAL:
        return ""
    tol = abs(tolerance or 0.0)
    gap = (value - target) if polarity in UP_IS_GOOD else (target - value)
    if gap >= 0:
        return "G"
    return "A" if -gap <= tol else "R"


# --- The drafted sentence -----------------------------------------------------------------------


@dataclass
class Draft:
    """What the drafted sentence is made of, so that tests (and the report) can check each part."""

    noun: str  # "month" or "quarter"
    previous: Change | None = None
    mean: float | None = None
    value: float | None = None
    flags: Flags | None = None
    exceptional_areas: list[tuple[str, str]] = field(default_factory=list)  # (area, "high"|"low")
    unit: str = COUNT


def draft_sentence(d: Draft) -> str:
    """In the papers' own words: "Increase on previous quarter and above the monthly average";
    "7th consecutive month above the monthly average"; "Exceptional volumes in Shropshire"."""
    parts: list[str] = []
    first = ""
    if d.previous is not None and d.previous.value is not None:
        word = {"increase": "Increase", "decrease": "Decrease"}.get(d.previous.direction, "Comparable")
        first = f"{word} on previous {d.noun}"
    if d.value is not None and d.mean is not None:
        where = "above" if d.value > d.mean else "below" if d.value < d.mean else "in line with"
        clause = f"{where} the {'quarterly' if d.noun == 'quarter' else 'monthly'} average"
        first = f"{first} and {clause}" if first else clause[0].upper() + clause[1:]
    if first:
        parts.append(first)
    f = d.flags
    if f is not None and f.special:
        if f.outside:
            parts.append(
                "outside the expected range "
                f"({'above the upper' if f.outside == 'high' else 'below the lower'} process limit)"
            )
        if f.run:
            parts.append(
                f"{ordinal(f.run_length)} consecutive {d.noun} {'above' if f.run == 'high' else 'below'} the "
                f"{'quarterly' if d.noun == 'quarter' else 'monthly'} average"
            )
        if f.trend:
            parts.append(f"{RUN} or more {d.noun}s {'rising' if f.trend == 'high' else 'falling'} in a row")
    elif f is not None:
        parts.append("within the expected range")
    for area, side in d.exceptional_areas:
        noun = "volumes" if d.unit in SUMMED else "values"
        parts.append(f"{'exceptional' if side == 'high' else 'exceptionally low'} {noun} in {area}")
    if not parts:
        return "No data for this period."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
