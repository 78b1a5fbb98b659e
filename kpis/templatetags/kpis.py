"""Template tags for KPI pages: `{% load kpis %}`. Never colour alone: the SPC icon carries a letter and
its words, a sparkline has a text alternative."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

from ..calc import Change, Variation

register = template.Library()

UNIT_SUFFIX = {"percentage": "%", "days": " days", "duration": " s"}


@register.filter
def figure(value, unit: str = "count") -> str:
    """A value as the papers write it: 1,234 · 83.7% · £1,200 · 4.5 days."""
    if value is None:
        return "–"
    if unit == "money":
        return f"£{value:,.0f}"
    text = f"{value:,.0f}" if unit == "count" and float(value).is_integer() else f"{value:,.1f}"
    return text + UNIT_SUFFIX.get(unit, "")


@register.filter
def change_text(change: Change | None) -> str:
    if change is None or change.value is None:
        return "–"
    return f"{change.text()} ({change.direction})"


@register.simple_tag
def spc_icon(variation: Variation):
    """The variation judgement: a letter in a shape (H high, L low, ~ common cause) and the words."""
    return format_html(
        '<span class="spc spc--{}"><span class="spc__icon" aria-hidden="true">{}</span> '
        '<span class="spc__label">{}</span></span>',
        variation.code or "none",
        variation.icon,
        variation.label,
    )


@register.simple_tag
def sparkline(values, label: str = ""):
    """A small inline SVG line (no script); the text alternative gives the first, last, lowest and highest."""
    values = list(values or [])
    if len(values) < 2:
        return format_html('<span class="app-muted">{}</span>', "not enough data")
    width, height = 120, 28
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = width / (len(values) - 1)
    points = format_html_join(
        " ",
        "{},{}",
        ((round(i * step, 1), round(height - 2 - (v - lo) / span * (height - 4), 1)) for i, v in enumerate(values)),
    )
    alt = (
        f"{label}: {len(values)} points, from {values[0]:,.1f} to {values[-1]:,.1f} "
        f"(lowest {lo:,.1f}, highest {hi:,.1f})"
    )
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>',
        width, height, width, height, alt, points,
    )  # fmt: skip


@register.filter
def period_label(period, basis: str = "financial") -> str:
    return period.label(basis) if period is not None else "–"
