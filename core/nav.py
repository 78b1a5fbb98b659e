"""Links each app adds to the main navigation, registered from its AppConfig.ready():

    nav.register("Meetings", "meetings:list", order=40)

`can_see` (optional) takes the user and says whether the link is shown to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    order: int = 50
    can_see: Callable[..., bool] | None = None


_links: dict[str, NavLink] = {}


def register(label: str, url_name: str, *, order: int = 50, can_see: Callable[..., bool] | None = None) -> None:
    _links[url_name] = NavLink(label=label, url_name=url_name, order=order, can_see=can_see)


def unregister(url_name: str) -> None:
    _links.pop(url_name, None)


def links_for(user) -> list[dict]:
    shown = []
    for link in sorted(_links.values(), key=lambda nl: (nl.order, nl.label)):
        if link.can_see is not None and not link.can_see(user):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        shown.append({"label": link.label, "url": url, "url_name": link.url_name})
    return shown
