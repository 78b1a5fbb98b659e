"""Appendix 1 extracts for a big plan: 1,000 commitments, 5,000 activities, 20,000 updates.

    python bench/extracts.py

Targets (issue 4): .xlsx <= 3 s, .docx <= 10 s, .pdf <= 30 s, each under 500 MB. Each format runs in
its own process so its peak memory (max RSS) is its own: "peak MB" is that process's, "child MB" the
largest of the processes it started (the .pdf renders in WeasyPrint worker subprocesses, see
core/documents/pdfworkers.py), "cpu s" the CPU time of select + render in the process and its children together (on 2
cores, wall time is at best half of it), "load" the 1-minute load average as each format finished (the
figures are only as good as the machine is quiet). Prints figures and the ratio to writing the same cells with bare
xlsxwriter. Uses a throwaway SQLite file unless DATABASE_URL is set (then a
test database beside it). Asserts nothing.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AS_AT = date(2025, 3, 1)


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(db_url: str) -> None:
    setup_django(db_url)
    from django.core.management import call_command

    from tests.factories import make_many_activities

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    make_many_activities(5000, n_commitments=1000, updates=4)
    print(f"built 1,000 commitments, 5,000 activities, 20,000 updates in {time.perf_counter() - start:.1f} s")


def measure(db_url: str, fmt: str) -> None:
    """In a child process: build the rows, render one format, report time and peak memory."""
    setup_django(db_url)
    from delivery.extracts import render_extract
    from delivery.extracts.rows import extract_rows
    from delivery.models import Extract, Plan

    plan = Plan.objects.get()

    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    cpu0 = cpu()
    t0 = time.perf_counter()
    data = extract_rows(
        plan=plan, as_at=AS_AT, columns=list(Extract.COLUMNS), title="Appendix 1", include_complete=True
    )
    t1 = time.perf_counter()
    if fmt == "bare-xlsxwriter":
        blob = bare_xlsxwriter(data)
    else:
        blob = render_extract(data, fmt)
    t2 = time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "format": fmt,
                "rows": data.row_count,
                "select_s": t1 - t0,
                "render_s": t2 - t1,
                "total_s": t2 - t0,
                "bytes": len(blob),
                "peak_mb": own.ru_maxrss / 1024,
                "child_peak_mb": children.ru_maxrss / 1024,
                "cpu_s": cpu() - cpu0,
                "load": os.getloadavg()[0],
            }
        )
    )


def bare_xlsxwriter(data) -> bytes:
    """The same cells, no formats, no banners: the floor for writing an .xlsx in Python."""
    import io

    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    r = 0
    for block in data.objectives:
        for row in block.rows:
            for c, key in enumerate(data.columns):
                ws.write_string(r, c, row.cell(key))
            r += 1
    wb.close()
    return out.getvalue()


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3])
        return
    with tempfile.TemporaryDirectory() as tmp:
        db_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        build(db_url)
        results = {}
        for fmt in ("bare-xlsxwriter", "xlsx", "docx", "pdf", "csv"):
            out = subprocess.run(
                [sys.executable, __file__, "--measure", db_url, fmt],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ.copy(),
            )
            results[fmt] = json.loads(out.stdout.strip().splitlines()[-1])
        targets = {"xlsx": 3, "docx": 10, "pdf": 30}
        print(
            f"\n{'format':<16}{'rows':>6}{'select s':>10}{'render s':>10}{'total s':>9}{'cpu s':>8}"
            f"{'peak MB':>9}{'child MB':>10}{'load':>6}{'target':>9}"
        )
        for fmt, r in results.items():
            target = f"<= {targets[fmt]} s" if fmt in targets else ""
            child = f"{r['child_peak_mb']:.0f}" if r["child_peak_mb"] else "-"
            print(
                f"{fmt:<16}{r['rows']:>6}{r['select_s']:>10.2f}{r['render_s']:>10.2f}{r['total_s']:>9.2f}"
                f"{r['cpu_s']:>8.1f}{r['peak_mb']:>9.0f}{child:>10}{r['load']:>6.1f}{target:>9}"
            )
        print("peak MB: the measuring process (max RSS); child MB: the largest of its subprocesses (PDF workers)")
        bare = results["bare-xlsxwriter"]["render_s"]
        print(f"\nxlsx render / bare xlsxwriter, same cells: x{results['xlsx']['render_s'] / bare:.2f}")


if __name__ == "__main__":
    main()
