"""Small text rules shared by every app."""

from __future__ import annotations

import re

_CHUNKS = re.compile(r"(\d+)")


def natural_key(ref: str) -> str:
    """A sort key that puts `3.2` before `3.10` and `A.1` before `B.1`: digits are zero-padded."""
    parts = _CHUNKS.split((ref or "").strip().lower())
    return "".join(p.zfill(8) if p.isdigit() else p for p in parts)[:200]


def author_name(user) -> str:
    """How an update, import or extract names the person who made it."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
