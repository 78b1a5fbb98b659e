"""Scoped imports: another app lets someone upload a workbook that may change only some activities
(an update round lets an owner upload their own), without delivery importing that app:

    # rounds/apps.py, in ready()
    import_scopes.register("round", import_scopes.Scope(may_upload=..., check=..., applied=...))

An ImportRun with `scope={"kind": "round", ...}` goes through the same read, preview and apply as any
import, and in addition:
- `may_upload(user, scope)` decides who may upload and apply it (instead of "editors only");
- `check(scope, preview)` returns problems ({"sheet", "row", "column", "message"}) for rows the scope does
  not allow; any problem makes the import invalid, so nothing is applied;
- `applied(scope, result, by)` runs inside the apply's transaction after the writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Scope:
    may_upload: Callable[[Any, dict], bool]
    check: Callable[[dict, dict], list[dict]]
    applied: Callable[[dict, dict, Any], None]


_registry: dict[str, Scope] = {}


def register(kind: str, scope: Scope) -> None:
    _registry[kind] = scope


def unregister(kind: str) -> None:
    _registry.pop(kind, None)


def get(kind: str) -> Scope:
    try:
        return _registry[kind]
    except KeyError:
        raise LookupError(f"No import scope is registered for {kind!r}.") from None
