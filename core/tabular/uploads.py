"""The checks every upload passes before anything parses it, whichever app's import it is."""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError

from .workbook import WorkbookError, check_file


def check_upload_size(size: int) -> None:
    """Refuse a file over IMPORT_MAX_BYTES (before it is read into memory, where the size is known)."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationError({"file": f"The file is {size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB."})


def check_upload(*, data: bytes, filename: str, layout: str, layouts: Collection[str]) -> None:
    """Size, type by content, damage, encryption and bombs (`check_file`), and a known layout; a plain
    message on the form's field otherwise."""
    check_upload_size(len(data))
    try:
        check_file(data, filename)
    except WorkbookError as e:
        raise ValidationError({"file": str(e)}) from None
    if layout not in layouts:
        raise ValidationError({"layout": "Choose a layout from the list."})
