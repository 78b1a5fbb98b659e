"""The date a new Appendix 1 extract is "as at" by default: today, unless an app registered a source
of a better default (an update round, once closed, registers its as-at date), without delivery
importing it:

    # rounds/apps.py, in ready()
    as_at_defaults.register(selectors.last_closed_as_at)   # (plan) -> date | None
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from core.dates import today

Source = Callable[[object], date | None]
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def unregister(source: Source) -> None:
    if source in _sources:
        _sources.remove(source)


def extract_as_at(plan) -> date:
    """The first registered source's date for the plan, else today."""
    for source in _sources:
        day = source(plan)
        if day is not None:
            return day
    return today()
