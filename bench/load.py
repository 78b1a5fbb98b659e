"""Issue 13's load bench: the app under gunicorn at the size of a whole region, driven by locust.

    python bench/load.py [--db postgres://postgres@127.0.0.1:5432/tracker_loadbench] [--seed]
                         [--activities 20000] [--updates 200000] [--measures 200] [--observations 500000]
                         [--meetings 300] [--users 20] [--duration 60] [--single-duration 40]
                         [--workers 2] [--threads 4] [--role Viewer] [--only NAME,NAME] [--without NAME,NAME]
                         [--after-a-change 10] [--writes-per-minute 20]

1. Migrates the named PostgreSQL database (creating it if missing). With --seed it empties the plans,
   KPIs and meetings and fills them with `seed_scale` at the sizes given; without it the data already
   there is reused (and an empty database is refused with a hint to add --seed).
2. Signs in a user of --role (made if missing) and keeps the session cookie for the clients.
3. Starts gunicorn (--workers, default 2, of --threads threads each, default 4, as the Procfile runs it) on
   a free loopback port, with the settings from the environment (DEBUG off and CONN_MAX_AGE=60 unless set),
   and waits until it answers.
4. Single client (--single-duration seconds, 0 to skip): one client asks for each page in turn,
   giving each page's p50/p95/p99 one request at a time. Then (--after-a-change N, default 10) each
   page N times straight after an editor's RAG change: what a reader waits for when the figures kept
   in the cache must be worked out again (reported, not judged: the targets are the steady state's).
5. Load (--duration seconds): --users clients at once, no think time, over a weighted mix of the
   pages; per page and overall p50/p95/p99, requests/s and errors (non-200s, time-outs after 30 s).
   Beside them an editor changes a RAG (the list page's inline form) --writes-per-minute times a
   minute (default 20, 0 for none), so cached figures are worked out again as they would be in an
   office where people are updating; a refused change counts as an error.
6. Prints PASS or FAIL against the targets: every page's single-client p95 <= 150 ms (as-at pages
   <= 2x their twin), and under load >= 40 requests/s, p95 <= 1 s, no errors.

Pages: home, the activity list (plain, filtered, as at 180 days ago), one activity, the overdue
review, the largest plan's page, a measure page and the meetings list. Not a test; asserts nothing
beyond its exit status (1 on FAIL).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import ragchange  # noqa: E402
from pages import ensure_database  # noqa: E402

SINGLE_P95_MS = 150
LOAD_RPS = 40
LOAD_P95_MS = 1000
AS_AT_TWINS = {"home as at": "home", "activities as at": "activities"}
WEIGHTS = {
    "home": 3, "home as at": 1, "activities": 3, "activities filtered": 2, "activities as at": 1, "activity": 4,
    "overdue": 1, "plan": 2, "measure": 2, "meetings": 2,
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(args) -> tuple[list[tuple[str, str, int]], str, str, dict[str, str]]:
    """Migrate, seed if asked, sign in: the pages, the session cookie's name and value, and what the
    load run's editor needs (environment for bench/locustfile.py)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils.crypto import get_random_string

    from core.dates import today
    from core.status import open_q
    from delivery.models import Activity, Plan, ProgressUpdate
    from kpis.models import Measure, Observation
    from meetings.models import Meeting
    from tests.factories import make_user

    call_command("migrate", verbosity=0)
    if args.seed:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE delivery_plan, delivery_owner, delivery_oversightbody, kpis_measure, kpis_area, "
                "meetings_meeting CASCADE"
            )
        call_command(
            "seed_scale", activities=args.activities, updates=args.updates, measures=args.measures,
            observations=args.observations, meetings=args.meetings, verbosity=1,
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded in {time.perf_counter() - start:.1f} s")
    elif not Activity.objects.exists():
        sys.exit(f"{connection.settings_dict['NAME']} holds no activities: run again with --seed.")

    User = get_user_model()
    user = User.objects.filter(username="loadbench").first() or make_user("loadbench", role=args.role)
    user.groups.set([Group.objects.get_or_create(name=args.role)[0]])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    editor = User.objects.filter(username="loadbench-editor").first() or make_user("loadbench-editor", role="Editor")
    editor_client = Client()  # its own session: signing in on the viewer's would end the viewer's
    editor_client.force_login(editor)
    # Open activities: a complete or closed one is refused a RAG until it is reopened, as it should be.
    writes = Activity.objects.filter(open_q()).order_by("?").values_list("pk", "version")[:500]
    editing = {
        "BENCH_EDITOR_SESSION": editor_client.cookies[settings.SESSION_COOKIE_NAME].value,
        "BENCH_CSRF": get_random_string(32),  # an unmasked secret, sent as both cookie and header
        "BENCH_WRITE_ACTIVITIES": json.dumps([list(w) for w in writes]),
        "BENCH_WRITES_PER_MINUTE": str(args.writes_per_minute),
    }

    past = (today() - timedelta(days=180)).isoformat()
    plan = max(Plan.objects.all(), key=lambda p: Activity.objects.filter(commitment__plan=p).count())
    activity = Activity.objects.order_by("pk")[Activity.objects.count() // 2]
    urls = {
        "home": "/",
        "home as at": f"/?as_at={past}",
        "activities": "/activities/",
        "activities filtered": "/activities/?rag=R&rag=A&overdue=on",
        "activities as at": f"/activities/?as_at={past}",
        "activity": f"/activities/{activity.pk}/",
        "overdue": "/overdue/",
        "plan": f"/plans/{plan.slug}/",
        "meetings": "/meetings/",
    }
    measure = Measure.objects.order_by("pk").values_list("pk", flat=True)
    if measure:
        urls["measure"] = f"/kpis/measures/{measure[len(measure) // 2]}/"
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    without = {s.strip() for s in args.without.split(",") if s.strip()}
    pages = [(n, url, WEIGHTS[n]) for n, url in urls.items() if (not only or n in only) and n not in without]
    counts = {
        "activities": Activity.objects.count(),
        "progress updates": ProgressUpdate.objects.count(),
        "measures": Measure.objects.count(),
        "observations": Observation.objects.count(),
        "meetings": Meeting.objects.count(),
    }
    print(f"database {connection.settings_dict['NAME']}: " + ", ".join(f"{n:,} {k}" for k, n in counts.items()))
    connection.close()
    return pages, settings.SESSION_COOKIE_NAME, cookie, editing


def start_gunicorn(args, port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "false")}
    env.setdefault("CONN_MAX_AGE", "60")
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers), "--threads", str(args.threads), "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit("gunicorn stopped while starting; see its output above.")
            time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not answer within 30 s.")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def warm(base: str, pages, cookie_name: str, cookie: str) -> None:
    """One request per page (fills the workers' caches); stops if a page does not answer 200."""
    for _ in range(2):
        for name, url, _ in pages:
            request = urllib.request.Request(base + url, headers={"Cookie": f"{cookie_name}={cookie}"})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    response.read()
                    if response.status != 200 or response.url != base + url:
                        sys.exit(f"{name} ({url}) answered {response.status} at {response.url}")
            except urllib.error.HTTPError as error:
                sys.exit(f"{name} ({url}) answered {error.code}")


def after_a_change(base: str, pages, cookie_name: str, cookie: str, editing: dict, samples: int) -> dict:
    """Each page asked for once straight after an editor's RAG change, `samples` times: what a reader
    waits for when the figures kept in the cache have to be worked out again. Per page, the times in
    ms, sorted. The activities' versions in `editing` are brought up to date for the load run's editor."""
    import random

    versions = dict(json.loads(editing["BENCH_WRITE_ACTIVITIES"]))
    rng = random.Random(7)
    reader = {"Cookie": f"{cookie_name}={cookie}"}
    writer = ragchange.headers(cookie_name, editing["BENCH_EDITOR_SESSION"], editing["BENCH_CSRF"])
    times: dict[str, list[float]] = {name: [] for name, _, _ in pages}
    for n in range(samples):
        for name, url, _ in pages:
            pk = rng.choice(list(versions))
            change = urllib.request.Request(  # noqa: S310 - our own server on loopback
                base + ragchange.url(pk),
                data=urllib.parse.urlencode(ragchange.form(n, versions[pk])).encode(),
                headers=writer,
            )
            with urllib.request.urlopen(change, timeout=60) as response:  # noqa: S310
                version = ragchange.saved(response.read().decode())
            if version is None:
                sys.exit(f"the editor's RAG change of activity {pk} was refused")
            versions[pk] = version
            start = time.perf_counter()
            with urllib.request.urlopen(urllib.request.Request(base + url, headers=reader), timeout=60) as page:  # noqa: S310
                page.read()
            times[name].append((time.perf_counter() - start) * 1000)
    editing["BENCH_WRITE_ACTIVITIES"] = json.dumps([[pk, version] for pk, version in versions.items()])  # as now
    return {name: sorted(values) for name, values in times.items()}


def run_locust(
    base: str, pages, cookie_name: str, cookie: str, *, users: int, seconds: int, mode: str, editing: dict | None = None
) -> dict:
    """Locust's stats per request name; with `editing` (the mix only), one more user: the editor."""
    writing = bool(editing and float(editing["BENCH_WRITES_PER_MINUTE"]) and mode == "mix")
    users += writing
    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp) / "run")
        env = {
            **os.environ, **(editing if writing else {}), "BENCH_PAGES": json.dumps(pages),
            "BENCH_SESSION": cookie, "BENCH_SESSION_COOKIE": cookie_name, "BENCH_MODE": mode,
        }  # fmt: skip
        if not writing:
            env.pop("BENCH_WRITES_PER_MINUTE", None)
        command = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--host", base,
            "--csv", prefix, "--only-summary", "--stop-timeout", "30", "--loglevel", "ERROR", "--skip-log-setup",
        ]  # fmt: skip
        subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
        with open(f"{prefix}_stats.csv", newline="") as f:
            rows = {row["Name"]: row for row in csv.DictReader(f)}
    return rows


def table(title: str, rows: dict, pages) -> None:
    print(f"\n{title}")
    print(f"{'page':<22} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}")
    for name in [p[0] for p in pages] + [ragchange.NAME, "Aggregated"]:
        row = rows.get(name)
        if not row:
            continue
        label = "overall" if name == "Aggregated" else name
        print(
            f"{label:<22} {int(row['Request Count']):>9} {int(row['Failure Count']):>7} {_ms(row, '50%'):>8} "
            f"{_ms(row, '95%'):>8} {_ms(row, '99%'):>8} {float(row['Requests/s']):>7.1f}"
        )


def _ms(row: dict, column: str) -> str:
    value = row.get(column, "N/A")
    return value if value in ("N/A", "") else f"{float(value):.0f}"


def _p95(rows: dict, name: str) -> float | None:
    row = rows.get(name)
    if not row or row.get("95%") in (None, "", "N/A"):
        return None
    return float(row["95%"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/tracker_loadbench")
    parser.add_argument("--seed", action="store_true", help="Empty the data and seed it at the sizes below.")
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--updates", type=int, default=200_000)
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--observations", type=int, default=500_000)
    parser.add_argument("--meetings", type=int, default=300)
    parser.add_argument("--users", type=int, default=20, help="Clients at once in the load run.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds of the load run.")
    parser.add_argument("--single-duration", type=int, default=40, help="Seconds of the single-client run (0: skip).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--threads", type=int, default=4, help="Threads in each gunicorn worker (the Procfile's).")
    parser.add_argument("--role", default="Viewer", help="The signed-in user's role (Viewer, Chief Executive, ...).")
    parser.add_argument("--only", default="", help="Comma-separated page names.")
    parser.add_argument("--without", default="", help="Comma-separated page names to leave out.")
    parser.add_argument("--exclude-from-verdict", default="", help="Pages reported but not judged.")
    parser.add_argument(
        "--after-a-change", type=int, default=10, help="Times each page is asked for straight after a change (0: skip)."
    )
    parser.add_argument(
        "--writes-per-minute", type=float, default=20, help="RAG changes a minute by an editor during the load run."
    )
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # so gunicorn is stopped too
    ensure_database(args.db)
    os.environ["DATABASE_URL"] = args.db
    pages, cookie_name, cookie, editing = prepare(args)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(args, port)
    failures: list[str] = []
    excluded = {s.strip() for s in args.exclude_from_verdict.split(",") if s.strip()}
    try:
        warm(base, pages, cookie_name, cookie)
        if args.single_duration > 0:
            single = run_locust(base, pages, cookie_name, cookie, users=1, seconds=args.single_duration, mode="cycle")
            table(f"one client, each page in turn, {args.single_duration} s (times in ms)", single, pages)
            for name, _, _ in pages:
                p95 = _p95(single, name)
                if name in excluded or p95 is None:
                    continue
                twin = AS_AT_TWINS.get(name)
                twin_p95 = _p95(single, twin) if twin else None
                if twin_p95:  # an as-at page's target is twice its twin's figure (the wording)
                    if p95 > 2 * max(twin_p95, 1):
                        failures.append(f"{name}: p95 {p95:.0f} ms > 2x {twin} ({twin_p95:.0f} ms)")
                elif p95 > SINGLE_P95_MS:
                    failures.append(f"{name}: single-client p95 {p95:.0f} ms > {SINGLE_P95_MS} ms")
        if args.after_a_change:
            cold = after_a_change(base, pages, cookie_name, cookie, editing, args.after_a_change)
            print(f"\none client, each page straight after an editor's RAG change, {args.after_a_change} times (ms)")
            print(f"{'page':<22} {'p50 ms':>8} {'max ms':>8}")
            for name, values in cold.items():
                print(f"{name:<22} {values[len(values) // 2]:>8.0f} {values[-1]:>8.0f}")
        load = run_locust(
            base, pages, cookie_name, cookie, users=args.users, seconds=args.duration, mode="mix", editing=editing
        )
        writing = f", an editor changing a RAG {args.writes_per_minute:g} times a minute" * bool(args.writes_per_minute)
        table(f"{args.users} clients at once, weighted mix{writing}, {args.duration} s (times in ms)", load, pages)
        overall = load.get("Aggregated", {})
        rps = float(overall.get("Requests/s") or 0)
        errors = int(overall.get("Failure Count") or 0)
        p95 = _p95(load, "Aggregated") or 0
        if rps < LOAD_RPS:
            failures.append(f"{args.users} clients: {rps:.1f} requests/s < {LOAD_RPS}")
        if p95 > LOAD_P95_MS:
            failures.append(f"{args.users} clients: p95 {p95:.0f} ms > {LOAD_P95_MS} ms")
        if errors:
            failures.append(f"{args.users} clients: {errors} errors or time-outs")
    finally:
        stop(server)
    note = f" (not judged: {', '.join(sorted(excluded))})" if excluded else ""
    if failures:
        print("\nFAIL" + note + ":\n  " + "\n  ".join(failures))
        sys.exit(1)
    writes = f" ({args.writes_per_minute:g} RAG changes a minute beside them)" if args.writes_per_minute else ""
    print(f"\nPASS{note}: single-client p95 <= {SINGLE_P95_MS} ms, as-at <= 2x; "
          f"{args.users} clients{writes} >= {LOAD_RPS} req/s, p95 <= {LOAD_P95_MS} ms, no errors")  # fmt: skip


if __name__ == "__main__":
    main()
