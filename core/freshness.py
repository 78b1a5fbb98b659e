"""Knowing when figures worked out from some tables are out of date, so that costly aggregates that change
rarely can be kept in the cache (shared by every worker) under a fingerprint of the data they come from.

    PLANS = DataVersion("delivery", models=(Plan, Objective, Commitment, Activity, ProgressUpdate))
    PLANS.connect()                                  # from AppConfig.ready(): every save and delete moves it
    key = f"home:{day}:{PLANS.fingerprint()}"       # one query; changes whenever the data does

The fingerprint is a version kept in the cache, moved by every save and delete of those models (model
signals) and by `changed()`, which writes that bypass the signals (bulk_update, QuerySet.update, COPY, raw
SQL) call; and the highest id of each table, which any insert moves. A write moves the version at once
(for the rest of its transaction) and again when it commits, so nothing worked out from the old data in the
meantime is kept under the new fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


class DataVersion:
    def __init__(self, name: str, *, models: Iterable[type[models.Model]]) -> None:
        self.name = name
        self.models = tuple(models)
        self.key = f"{name}:data-version"

    def changed(self) -> None:
        """Mark the data changed: now, and again when the current transaction commits."""
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, 1, timeout=None)

    def fingerprint(self) -> str:
        """The version and each table's highest id, in one query."""
        return fingerprints(self)[0]

    def connect(self) -> None:
        """Move the version on every save and delete of the models, and on every change to a many-to-many
        relation whose table (`Model.field.through`) is one of them."""
        for model in self.models:
            uid = f"freshness-{self.name}-{model._meta.label_lower}"
            if model._meta.auto_created:  # a many-to-many's own table: add, remove, set and clear
                m2m_changed.connect(self._on_write, sender=model, dispatch_uid=f"{uid}-m2m")
                continue
            post_save.connect(self._on_write, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(self._on_write, sender=model, dispatch_uid=f"{uid}-delete")

    def _on_write(self, sender, **kwargs) -> None:
        self.changed()


def fingerprints(*versions: DataVersion) -> list[str]:
    """Each DataVersion's fingerprint (its version and each of its tables' highest id), for all of them in one
    query and one cache read: a page kept under several pays for one round trip to each."""
    tables = [m._meta.db_table for v in versions for m in v.models]  # our own table names, never input
    sql = "SELECT " + ", ".join(f'(SELECT MAX(id) FROM "{t}")' for t in dict.fromkeys(tables))  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        highest = dict(zip(dict.fromkeys(tables), cursor.fetchone(), strict=True))
    numbers = cache.get_many([v.key for v in versions])
    return [
        f"{numbers.get(v.key, 0)}:" + ":".join(str(highest[m._meta.db_table] or 0) for m in v.models) for v in versions
    ]
