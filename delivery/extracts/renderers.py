"""Kept only for delivery/views.py (CONTENT_TYPES) and the export_extract command (RENDERERS), which
this change may not edit: both should use core.documents.CONTENT_TYPES and render_extract, and then
this module goes. The layout lives in core/documents/."""

from __future__ import annotations

from functools import partial

from core.documents import CONTENT_TYPES

from .document import render_extract


def _render(data, progress=None, *, fmt: str) -> bytes:
    return render_extract(data, fmt, progress)


RENDERERS = {fmt: partial(_render, fmt=fmt) for fmt in CONTENT_TYPES}

__all__ = ["CONTENT_TYPES", "RENDERERS"]
