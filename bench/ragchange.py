"""The editor's RAG change that bench/load.py and bench/locustfile.py make: the list page's inline
form (templates/delivery/_inline_rag.html), posted as htmx does, with the version the editor saw."""

from __future__ import annotations

import re

NAME = "RAG change (editor)"  # its row in the load run's figures
RAGS = "AGR"  # each needs the reason given below; the activities are open ones
REASON = "Load bench: position reviewed"
_SEEN_VERSION = re.compile(r'name="seen_version" value="(\d+)"')


def url(pk: int) -> str:
    return f"/activities/{pk}/rag/"


def headers(cookie_name: str, session: str, csrf: str) -> dict[str, str]:
    """The editor's session, and an unmasked CSRF secret sent as both cookie and header."""
    return {"Cookie": f"{cookie_name}={session}; csrftoken={csrf}", "X-CSRFToken": csrf, "HX-Request": "true"}


def form(n: int, seen_version: int) -> dict:
    return {"rag": RAGS[n % len(RAGS)], "text": REASON, "seen_version": seen_version}


def saved(body: str) -> int | None:
    """The activity's version after the change, or None if the change was refused."""
    seen = _SEEN_VERSION.search(body)
    return int(seen.group(1)) if seen and "app-success-message" in body else None
