"""Panels other apps add to delivery's pages, without delivery importing them (as admin.site.register):

    # kpis/apps.py, in ready()
    panels.register("home", "kpis/_home_panel.html", selectors.home_panel)
    # meetings/apps.py
    panels.register("activity", "meetings/_activity_panel.html", selectors.activity_panel)

A panel's context function takes the request and the page's object (the activity for "activity",
None for "home") and returns the panel's context, or None to show nothing. Places: "home",
"activity", "commitment". Each panel's function must make a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PLACES = ("home", "activity", "commitment")
ContextFn = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


_registry: dict[str, list[tuple[str, ContextFn]]] = {place: [] for place in PLACES}


def register(place: str, template: str, context: ContextFn) -> None:
    if place not in _registry:
        raise ValueError(f"No place called {place!r}; one of {', '.join(PLACES)}.")
    entry = (template, context)
    if entry not in _registry[place]:
        _registry[place].append(entry)


def unregister(place: str, template: str) -> None:
    _registry[place] = [e for e in _registry[place] if e[0] != template]


def panels_for(place: str, request: HttpRequest, obj: Any = None) -> list[Panel]:
    panels = []
    for template, context in _registry[place]:
        ctx = context(request, obj)
        if ctx is not None:
            panels.append(Panel(template=template, context=ctx))
    return panels
