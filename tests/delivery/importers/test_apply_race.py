"""An import apply racing colleagues' saves on PostgreSQL (issue 8, item 1): every save either survives
(and, if it came before the apply took its locks, the import lists the activity as a conflict) or is
refused as stale. Nothing is lost and versions only go up.

Two real threads with their own database connections. The apply thread stops just before it writes
the activities and lets the saving thread run; it carries on once that thread has finished or is
waiting on a row lock (seen in pg_stat_activity), so the interleaving that lost saves before the fix
happens every run, not by luck."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from delivery import services
from delivery.models import Activity, ImportRun, ProgressUpdate
from tests.conftest import require_service
from tests.delivery.importers.builders import tracker_rows, tracker_workbook
from tests.factories import make_user

N = 600  # activities in the plan; the import changes every one of them


@pytest.fixture
def postgres(transactional_db):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker with PostgreSQL running",
    )


def _workbook(progress_prefix: str) -> bytes:
    rows = tracker_rows(N)
    for i, row in enumerate(rows, start=1):
        row[5] = f"010722 – {progress_prefix} {i}."
    return tracker_workbook(strands=[("Prevention", rows)], extra_sheet=False)


def _previewed_import(editor, data: bytes) -> ImportRun:
    run, change_set = services.import_from_file(
        by=editor, data=data, filename="quarter.xlsx", plan_name="Charter", layout="tracker", dry_run=True
    )
    assert run.state == ImportRun.State.PREVIEWED and not change_set.errors
    return run


class PauseBeforeActivityWrite:
    """A database execute wrapper for the apply thread: before the bulk UPDATE of delivery_activity, wait
    until `proceed()` says so (the saving thread is done, or blocked on one of our locks)."""

    def __init__(self, proceed, timeout: float = 30.0) -> None:
        self.proceed, self.timeout = proceed, timeout
        self.reached = threading.Event()
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        if not self.fired and sql.lstrip().upper().startswith('UPDATE "DELIVERY_ACTIVITY"'):
            self.fired = True
            self.reached.set()
            deadline = time.monotonic() + self.timeout
            while not self.proceed() and time.monotonic() < deadline:
                time.sleep(0.01)
        return execute(sql, params, many, context)


def _waiting_on_a_lock(pid: int | None) -> bool:
    if pid is None:
        return False
    with connections["default"].cursor() as cur:  # this thread's own connection; pg_locks is never cached
        cur.execute("SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cur.fetchone() is not None


@pytest.mark.slow
def test_saves_during_an_apply_are_never_lost_and_versions_only_go_up(postgres):
    editor = make_user("race-editor", role="Editor")
    colleague = make_user("race-colleague", role="Editor")
    first = _previewed_import(editor, _workbook("Baseline progress"))
    ImportRun.objects.filter(pk=first.pk).update(state=ImportRun.State.APPLY_QUEUED, applied_by=editor)
    assert services.import_apply(run_id=first.pk).state == ImportRun.State.APPLIED
    activities = list(Activity.objects.order_by("pk"))
    assert len(activities) == N

    run = _previewed_import(editor, _workbook("Imported progress"))
    # Saved between the preview and the apply: the import must list these as conflicts.
    before_apply = activities[:20]
    # Saved while the apply runs, from forms loaded before it started.
    during_apply = activities[100:160]
    initial = {a.pk: a.version for a in activities}
    outcomes: dict[int, tuple[str, int | None]] = {}  # pk -> ("saved", version after) | ("stale", None)
    texts = {a.pk: f"Colleague's update {a.pk}" for a in before_apply + during_apply}

    def save(activity: Activity) -> None:
        try:
            services.activity_record_update(
                activity=activity, by=colleague, seen_version=activity.version, text=texts[activity.pk]
            )
        except services.StaleEdit:
            outcomes[activity.pk] = ("stale", None)
        else:
            outcomes[activity.pk] = ("saved", activity.version)

    for a in before_apply:
        save(a)
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.APPLY_QUEUED, applied_by=editor)

    saver_pid: list[int] = []
    saver_done = threading.Event()
    pause = PauseBeforeActivityWrite(lambda: saver_done.is_set() or _waiting_on_a_lock(*saver_pid[:1] or [None]))
    errors: list[BaseException] = []
    result: list[ImportRun] = []

    def apply_thread() -> None:
        try:
            with connections["default"].execute_wrapper(pause):
                result.append(services.import_apply(run_id=run.pk))
        except BaseException as e:
            errors.append(e)
        finally:
            pause.reached.set()
            connections.close_all()

    def saver_thread() -> None:
        try:
            with connections["default"].cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                saver_pid.append(cur.fetchone()[0])
            assert pause.reached.wait(60), "the apply never reached its write"
            for a in during_apply:
                save(a)
        except BaseException as e:
            errors.append(e)
        finally:
            saver_done.set()
            connections.close_all()

    threads = [threading.Thread(target=apply_thread), threading.Thread(target=saver_thread)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "deadlock: a thread never finished"
    assert not errors, errors
    applied = result[0]
    assert applied.state == ImportRun.State.APPLIED, applied.error
    conflicts = {c["activity_id"] for c in applied.result["conflicts"]}

    final = {a.pk: a for a in Activity.objects.all()}
    import_updates = set(
        ProgressUpdate.objects.filter(
            source="Imported from quarter.xlsx", text__startswith="Imported progress"
        ).values_list("activity_id", flat=True)
    )
    for pk, (what, version_after) in outcomes.items():
        act = final[pk]
        if what == "saved":
            # The save survived: its text is the activity's progress, whether the import skipped the
            # activity as a conflict or wrote before the save.
            assert act.progress == texts[pk], f"activity {pk}: a saved update was overwritten by the import"
            assert (pk in conflicts) != (pk in import_updates), f"activity {pk}: neither a conflict nor written once"
            if pk in import_updates:  # the import went first, the save after it
                assert version_after == initial[pk] + 2
            else:
                assert version_after == initial[pk] + 1
        else:
            # Refused as stale: the import wrote first and nothing of the colleague's is in the trail.
            assert pk in import_updates and pk not in conflicts
            assert not ProgressUpdate.objects.filter(activity_id=pk, author=colleague).exists()
        writes = ProgressUpdate.objects.filter(activity_id=pk).exclude(kind=ProgressUpdate.Kind.CREATED)
        # Versions strictly increase: one step per write since the first import.
        assert act.version == initial[pk] + (what == "saved") + (pk in import_updates)
        assert writes.filter(author=colleague).count() == (what == "saved")

    # Every save made before the apply is a conflict, and the colleague's text stands.
    assert {a.pk for a in before_apply} <= conflicts
    # The saves during the apply met its locks: refused as stale, none silently "saved".
    assert all(outcomes[a.pk][0] == "stale" for a in during_apply)
    # Everything else was imported.
    untouched = set(final) - conflicts
    assert untouched <= import_updates
    assert all(final[pk].version == initial[pk] + 1 for pk in untouched)
    assert all(final[pk].progress.startswith("Imported progress") for pk in untouched)


@pytest.mark.slow
def test_an_apply_and_a_busy_colleague_running_freely_lose_nothing(postgres):
    """No pauses: a colleague keeps loading and saving activities of the plan (fresh forms, as a busy
    office does) for as long as the apply runs. Whatever the timing, no save is followed by an import
    write to the same activity, and each activity's version counts every write exactly once."""
    editor = make_user("race-editor", role="Editor")
    colleague = make_user("race-colleague", role="Editor")
    first = _previewed_import(editor, _workbook("Baseline progress"))
    ImportRun.objects.filter(pk=first.pk).update(state=ImportRun.State.APPLY_QUEUED, applied_by=editor)
    services.import_apply(run_id=first.pk)
    initial = dict(Activity.objects.values_list("pk", "version"))
    targets = sorted(initial)[::5]  # every fifth activity, spread through the plan
    run = _previewed_import(editor, _workbook("Imported progress"))
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.APPLY_QUEUED, applied_by=editor)

    done = threading.Event()
    errors: list[BaseException] = []
    counts = {"saved": 0, "stale": 0}

    def apply_thread() -> None:
        try:
            services.import_apply(run_id=run.pk)
        except BaseException as e:
            errors.append(e)
        finally:
            done.set()
            connections.close_all()

    def saver_thread() -> None:
        try:
            rounds = 0
            while not done.is_set() or rounds == 0:
                rounds += 1
                for pk in targets:
                    activity = Activity.objects.get(pk=pk)
                    try:
                        services.activity_record_update(
                            activity=activity, by=colleague, seen_version=activity.version, text=f"Round {rounds}"
                        )
                        counts["saved"] += 1
                    except services.StaleEdit:
                        counts["stale"] += 1
                    if done.is_set():
                        break
        except BaseException as e:
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=saver_thread), threading.Thread(target=apply_thread)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert not any(t.is_alive() for t in threads) and not errors, errors
    applied = ImportRun.objects.get(pk=run.pk)
    assert applied.state == ImportRun.State.APPLIED, applied.error
    conflicts = {c["activity_id"] for c in applied.result["conflicts"]}
    assert counts["saved"] > 0

    for act in Activity.objects.all():
        ups = list(ProgressUpdate.objects.filter(activity=act).exclude(kind=ProgressUpdate.Kind.CREATED).order_by("pk"))
        mine = [u.pk for u in ups if u.author_id == colleague.pk]
        imported = [u.pk for u in ups if u.text.startswith("Imported progress")]
        assert len(imported) == (act.pk not in conflicts)
        if imported:  # the import wrote it: every colleague save on it came after the import
            assert all(pk > imported[0] for pk in mine), f"activity {act.pk}: a save was overwritten"
        else:  # a conflict: the colleague saved it before the apply locked it
            assert mine, f"activity {act.pk}: listed as a conflict but nobody saved it"
        assert act.version == initial[act.pk] + len(mine) + len(imported)
