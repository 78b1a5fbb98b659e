"""Who is making the current change, for code that records changes without being told (signals).

A service that knows its `by` wraps its writes in `acting_as(by)`; a signal handler reads `current()`.
A context variable, so it is per thread and per task and never leaks from one request or job to the
next."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_actor: ContextVar[object | None] = ContextVar("actor", default=None)


@contextmanager
def acting_as(user) -> Iterator[None]:
    token = _actor.set(user if user is not None and getattr(user, "is_authenticated", False) else None)
    try:
        yield
    finally:
        _actor.reset(token)


def current():
    """The user set by the innermost `acting_as`, or None."""
    return _actor.get()
