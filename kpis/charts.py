"""What the measure page's chart draws, as plain data (json_script reads it; static/kpis/charts.js draws
it with Chart.js). The same figures are shown as a table below the chart."""

from __future__ import annotations

from .analysis import Analysis


def chart_data(analysis: Analysis, *, basis: str, unit: str, title: str) -> dict:
    limits = analysis.limits
    pts = analysis.points
    n = len(pts)
    return {
        "title": title,
        "unit": unit,
        "labels": [p.period.label(basis) for p in pts],
        "values": [round(p.value, 4) for p in pts],
        "mean": [round(limits.mean, 4)] * n if limits else [],
        "upper": [round(limits.upper, 4)] * n if limits else [],
        "lower": [round(limits.lower, 4)] * n if limits else [],
        "target": [None if p.target is None else round(p.target, 4) for p in pts],
        "special": [p.flags.special for p in pts],
        "reasons": ["; ".join(p.flags.reasons()) for p in pts],
    }
