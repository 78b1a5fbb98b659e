"""Bulk inserts and updates without model instances: rows as tuples go straight to the database.

On PostgreSQL rows are written with COPY (psycopg's `cursor.copy`), and ids a caller needs are
taken from the table's own sequence first, so they are known before the rows are written. Elsewhere
(SQLite) `executemany` INSERTs, and, where ids are needed, multi-row INSERT ... RETURNING in chunks.
Either way the writes join the caller's transaction: call these inside `transaction.atomic`.

`update_rows` changes existing rows by id the same way: on PostgreSQL the new values are COPYed into a
temporary table and one UPDATE ... FROM it writes them all; on SQLite one prepared UPDATE runs per row
(executemany). Either way no SQL grows with the number of rows, as Django's bulk_update (a CASE per
field) does.

Values are plain Python (str, int, bool, date, datetime, None, and dict/list for a JSONField); no
field defaults are filled in, so name every column the table needs. Nothing here knows any app.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import chain, islice
from typing import Any

from django.db import connections, models

__all__ = ["insert_rows", "update_rows"]

SQLITE_CHUNK = 900  # parameters per statement stay under SQLite's limit (32,766 since 3.32; 999 before)
SQLITE_ROWS = 2000  # rows converted and written by one executemany


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    returning_ids: bool = False,
    using: str = "default",
) -> list[int]:
    """Insert `rows` (tuples in the order of `columns`, field names) into `model`'s table. Returns the
    new rows' ids in the order given when `returning_ids`, else []. Without ids, `rows` may be a
    generator: each row is written as it comes and need not be held once written."""
    if returning_ids:
        rows = list(rows)
        if not rows:
            return []
    else:
        first = next(iter_rows := iter(rows), None)
        if first is None:
            return []
        rows = chain((first,), iter_rows)
    connection = connections[using]
    fields = [model._meta.get_field(name) for name in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = [connection.ops.quote_name(f.column) for f in fields]  # type: ignore[union-attr]
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    if connection.vendor == "postgresql":
        return _copy(connection, model, table, names, rows, json_at, returning_ids)
    pk = connection.ops.quote_name(model._meta.pk.column)
    dated_at = [i for i, f in enumerate(fields) if isinstance(f, models.DateField)]  # and DateTimeField
    return _insert(connection, table, pk, names, rows, json_at, dated_at, returning_ids)


def update_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, using: str = "default"
) -> int:
    """Set `columns` (field names) of `model`'s rows: each row is (id, *values in the order of `columns`).
    Returns how many rows were given. Call inside `transaction.atomic`, as for insert_rows."""
    rows = list(rows)
    if not rows:
        return 0
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    names = [quote(f.column) for f in fields]  # type: ignore[union-attr]
    json_at = [i + 1 for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            temp = quote(f"bulk_update_{model._meta.db_table}")
            cursor.execute(
                f"CREATE TEMP TABLE {temp} AS SELECT {pk}, {', '.join(names)} FROM {table} WITH NO DATA"  # noqa: S608
            )
            with cursor.cursor.copy(f"COPY {temp} ({pk}, {', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_json(row, json_at))
            assignments = ", ".join(f"{name} = new.{name}" for name in names)
            cursor.execute(f"UPDATE {table} SET {assignments} FROM {temp} AS new WHERE {table}.{pk} = new.{pk}")  # noqa: S608
            cursor.execute(f"DROP TABLE {temp}")  # a failure rolls its creation back with the rest
        else:
            dated_at = [i + 1 for i, f in enumerate(fields) if isinstance(f, models.DateField)]
            assignments = ", ".join(f"{name} = %s" for name in names)
            for start in range(0, len(rows), SQLITE_ROWS):
                part = _sqlite_rows(connection, rows[start : start + SQLITE_ROWS], json_at, dated_at)
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                    [(*row[1:], row[0]) for row in part],
                )
    return len(rows)


def _copy(
    connection, model, table: str, names: list[str], rows: Iterable, json_at: list[int], ids_wanted: bool
) -> list:
    pk = connection.ops.quote_name(model._meta.pk.column)
    ids: list[int] = []
    with connection.cursor() as cursor:
        if ids_wanted:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            names = [pk, *names]
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            if ids_wanted:
                for new_id, row in zip(ids, rows, strict=True):
                    write((new_id, *_json(row, json_at)))
            else:
                for row in rows:
                    write(_json(row, json_at))
    return ids


def _json(row: Sequence[Any], json_at: list[int]) -> Sequence[Any]:
    if not json_at:
        return row
    row = list(row)
    for i in json_at:
        value = row[i]
        row[i] = "{}" if value == {} else json.dumps(value)  # most rows' JSON is empty
    return row


def _sqlite_rows(connection, rows: Iterable[Sequence[Any]], json_at: list[int], dated_at: list[int]) -> list[list]:
    """SQLite: dates as ISO text, datetimes and JSON as text, as Django itself stores them (booleans the
    driver makes 0/1). Only the date and time columns (`dated_at`) are looked at value by value; a time
    written to many rows (an import's) is converted once."""
    adapt_datetime = connection.ops.adapt_datetimefield_value
    converted: dict[datetime, Any] = {}
    prepared = []
    for row in rows:
        row = list(_json(row, json_at))
        for i in dated_at:
            value = row[i]
            if isinstance(value, datetime):
                found = converted.get(value)
                if found is None:
                    found = converted[value] = adapt_datetime(value)
                row[i] = found
            elif isinstance(value, date):
                row[i] = value.isoformat()
        prepared.append(row)
    return prepared


def _insert(
    connection,
    table: str,
    pk: str,
    names: list[str],
    rows: Iterable[Sequence[Any]],
    json_at: list[int],
    dated_at: list[int],
    ids_wanted: bool,
) -> list:
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    head = f"INSERT INTO {table} ({', '.join(names)}) VALUES "  # noqa: S608 (names quoted from the model)
    ids: list[int] = []
    per = max(1, SQLITE_CHUNK // max(len(names), 1)) if ids_wanted else SQLITE_ROWS
    rows = iter(rows)
    with connection.cursor() as cursor:
        while part := _sqlite_rows(connection, islice(rows, per), json_at, dated_at):  # a chunk at a time
            if not ids_wanted:
                cursor.executemany(head + placeholders, part)
                continue
            cursor.execute(
                head + ", ".join([placeholders] * len(part)) + f" RETURNING {pk}",
                [v for row in part for v in row],
            )
            ids += [r[0] for r in cursor.fetchall()]
    return ids
