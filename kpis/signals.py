"""Saving or deleting anything the KPI figures are worked out from marks them changed, so the cached
home-page panel is worked out again: at once (for the rest of this transaction) and again on commit
(for anything cached from the old figures in the meantime). Bulk writes call selectors.data_changed."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import selectors


def _changed(sender, **kwargs) -> None:
    selectors.data_changed()
    transaction.on_commit(selectors.data_changed)


def connect() -> None:
    for model in selectors.FINGERPRINT_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"kpis-data-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"kpis-data-{model.__name__}-delete")
