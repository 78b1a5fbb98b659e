"""Links each app adds to the main navigation, registered from its AppConfig.ready():

    nav.register("Meetings", "meetings:list", order=40)

`can_see` (optional) takes the user and says whether the link is shown to them.

Every page shows the navigation, so the links are sorted and their URLs reversed once per URL
prefix (a deployment under a sub-path has its own) and kept until a link is registered or removed;
only `can_see` is asked per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    order: int = 50
    can_see: Callable[..., bool] | None = None


_links: dict[str, NavLink] = {}
# (script prefix, urlconf) -> [(link, url)] in order, links whose URL does not reverse left out.
_resolved: dict[tuple[str, str], list[tuple[NavLink, str]]] = {}


def register(label: str, url_name: str, *, order: int = 50, can_see: Callable[..., bool] | None = None) -> None:
    _links[url_name] = NavLink(label=label, url_name=url_name, order=order, can_see=can_see)
    _resolved.clear()


def unregister(url_name: str) -> None:
    _links.pop(url_name, None)
    _resolved.clear()


def _in_order() -> list[tuple[NavLink, str]]:
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    found = _resolved.get(key)
    if found is None:
        found = []
        for link in sorted(_links.values(), key=lambda nl: (nl.order, nl.label)):
            try:
                found.append((link, reverse(link.url_name)))
            except NoReverseMatch:
                continue
        _resolved[key] = found
    return found


def links_for(user) -> list[dict]:
    return [
        {"label": link.label, "url": url, "url_name": link.url_name}
        for link, url in _in_order()
        if link.can_see is None or link.can_see(user)
    ]
