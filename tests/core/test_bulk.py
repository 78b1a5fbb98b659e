"""core.bulk.insert_rows on whichever database the run uses (COPY on PostgreSQL, executemany or
INSERT ... RETURNING on SQLite): the rows read back through the ORM exactly as written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection, transaction

from core.bulk import SQLITE_CHUNK, insert_rows, update_rows
from delivery.models import Activity, Owner, ProgressUpdate
from tests.factories import make_activity, make_user

pytestmark = pytest.mark.django_db

COLUMNS = (
    "activity", "on", "kind", "author", "author_name", "text", "rag", "status", "start_date", "due_date",
    "changes", "source", "recorded_at", "for_panel", "next_on", "next_text_on", "undated",
)  # fmt: skip
AT = datetime(2023, 3, 31, 9, 30, tzinfo=UTC)


def _row(activity_id: int, i: int, *, author_id: int | None = None, text: str | None = None) -> tuple:
    return (
        activity_id, date(2023, 1, 1 + i % 28), "import", author_id, "Bulk author",
        text if text is not None else f"Update {i}: partners met.", "A", "in_progress",
        None, date(2023, 6, 30), {"rag": ["G", "A"], "n": i}, "Imported from q4.xlsx", AT, bool(i % 2),
        None, None, False,
    )  # fmt: skip


def test_rows_written_read_back_through_the_orm_with_every_kind_of_value():
    activity = make_activity()
    user = make_user("bulkwriter")
    awkward = 'Tab\there, "quotes", back\\slash, new\nline, comma, \u00a0and \u2013 dashes'
    insert_rows(ProgressUpdate, COLUMNS, [_row(activity.pk, 0, author_id=user.pk, text=awkward), _row(activity.pk, 1)])
    got = list(ProgressUpdate.objects.filter(activity=activity, kind="import").order_by("id"))
    assert [u.text for u in got] == [awkward, "Update 1: partners met."]
    first = got[0]
    assert first.author_id == user.pk and got[1].author_id is None
    assert first.on == date(2023, 1, 1) and first.due_date == date(2023, 6, 30) and first.start_date is None
    assert first.changes == {"rag": ["G", "A"], "n": 0}
    assert first.recorded_at == AT
    assert (first.for_panel, got[1].for_panel) == (False, True)
    assert first.next_on is None and first.rag == "A" and first.status == "in_progress"


def test_ids_come_back_in_the_order_the_rows_were_given_across_chunks():
    activity = make_activity()
    n = SQLITE_CHUNK // len(COLUMNS) * 2 + 7  # more than two SQLite statements' worth
    rows = [_row(activity.pk, i, text=f"Entry {i}") for i in range(n)]
    ids = insert_rows(ProgressUpdate, COLUMNS, rows, returning_ids=True)
    assert len(ids) == n and len(set(ids)) == n
    texts = dict(ProgressUpdate.objects.filter(pk__in=ids).values_list("pk", "text"))
    assert [texts[pk] for pk in ids] == [f"Entry {i}" for i in range(n)]
    # Ids taken ahead of the rows do not collide with the ones the ORM hands out next.
    later = ProgressUpdate.objects.create(activity=activity, on=date(2023, 4, 1), status="in_progress")
    assert later.pk not in ids


def test_nothing_is_written_for_no_rows():
    assert insert_rows(ProgressUpdate, COLUMNS, [], returning_ids=True) == []
    assert insert_rows(ProgressUpdate, COLUMNS, iter(())) == []


def test_the_rows_join_the_callers_transaction_and_go_when_it_rolls_back():
    activity = make_activity()
    before = ProgressUpdate.objects.count()

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        insert_rows(ProgressUpdate, COLUMNS, [_row(activity.pk, i) for i in range(5)], returning_ids=True)
        assert ProgressUpdate.objects.count() == before + 5
        raise Abandon
    assert ProgressUpdate.objects.count() == before


def test_a_many_to_many_table_takes_plain_pairs():
    activity = make_activity()
    made = [Owner.objects.create(name=f"Bulk owner {i}") for i in range(3)]
    Activity.owners.through.objects.filter(activity=activity).delete()
    insert_rows(Activity.owners.through, ["activity", "owner"], [(activity.pk, o.pk) for o in made])
    assert sorted(activity.owners.values_list("name", flat=True)) == ["Bulk owner 0", "Bulk owner 1", "Bulk owner 2"]


def test_a_bad_row_fails_the_whole_insert():
    activity = make_activity()
    before = ProgressUpdate.objects.count()
    rows = [_row(activity.pk, 0), _row(activity.pk + 10_000_000, 1)]  # no such activity
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (IntegrityError differs by vendor)
        insert_rows(ProgressUpdate, COLUMNS, rows)
        connection.check_constraints()  # foreign keys are checked at commit (deferred); ask now
    assert ProgressUpdate.objects.count() == before


def test_update_rows_sets_the_given_columns_of_the_rows_by_id_and_leaves_the_rest():
    activity = make_activity()
    ids = insert_rows(ProgressUpdate, COLUMNS, [_row(activity.pk, i) for i in range(3)], returning_ids=True)
    awkward = 'Tab\there, "quotes", back\\slash, new\nline, \u2013 dash'
    update_rows(
        ProgressUpdate,
        ("text", "due_date", "changes", "for_panel", "next_on"),
        [
            (ids[0], awkward, None, {"rag": ["A", "R"]}, True, date(2023, 2, 1)),
            (ids[2], "", date(2024, 1, 31), {}, False, None),
        ],
    )
    got = {u.pk: u for u in ProgressUpdate.objects.filter(pk__in=ids)}
    first, second, third = got[ids[0]], got[ids[1]], got[ids[2]]
    assert (first.text, first.due_date, first.changes, first.for_panel, first.next_on) == (
        awkward, None, {"rag": ["A", "R"]}, True, date(2023, 2, 1),
    )  # fmt: skip
    assert (third.text, third.due_date, third.changes, third.for_panel) == ("", date(2024, 1, 31), {}, False)
    assert third.on == date(2023, 1, 3) and third.author_name == "Bulk author"  # columns not named are kept
    assert second.text == "Update 1: partners met." and second.changes == {"rag": ["G", "A"], "n": 1}


def test_update_rows_twice_in_one_transaction_and_for_no_rows():
    activity = make_activity()
    with transaction.atomic():
        assert update_rows(Activity, ("text",), []) == 0
        update_rows(Activity, ("text", "version"), [(activity.pk, "First", 2)])
        update_rows(Activity, ("text", "version"), [(activity.pk, "Second", 3)])
    activity.refresh_from_db()
    assert (activity.text, activity.version) == ("Second", 3)
