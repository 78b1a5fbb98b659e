import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse

from core.dates import today
from delivery.models import Extract
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def generate(django_capture_on_commit_callbacks, eager_tasks):
    """Post the new-extract form; the queued generation runs when the request's transaction commits,
    in-process as it does with no broker configured."""

    def post(client, plan, **overrides):
        payload = {
            "plan": plan.pk,
            "as_at": "2025-06-30",
            "columns": list(Extract.COLUMNS),
            "formats": ["xlsx"],
            "title": "Appendix 1 – Delivery Plan Extract",
            "subtitle": "",
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("extract-new"), payload)

    return post


@pytest.mark.parametrize("role", ["Administrator", "Editor", "Owner", "Chief Executive", "Viewer"])
def test_every_role_that_reads_the_plan_can_generate_and_download(generate, client, users, appendix_plan, role):
    plan, _ = appendix_plan
    login(client, users[role])
    response = generate(client, plan)
    extract = Extract.objects.get()
    assert response.status_code == 302 and response.url == extract.get_absolute_url()
    assert extract.state == Extract.State.DONE and extract.created_by == users[role]  # in-process without a broker
    page = client.get(extract.get_absolute_url()).content.decode()
    assert "Ready: 5 activities" in page and "1 not for publication withheld" in page
    download = client.get(reverse("extract-download", args=[extract.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="appendix-1-safer-testshire-plan')
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["Appendix 1", "RAG summary"]


def test_a_login_without_a_role_can_neither_generate_nor_download(generate, client, appendix_plan, editor):
    plan, _ = appendix_plan
    login(client, editor)
    generate(client, plan)
    extract = Extract.objects.get()
    client.logout()
    login(client, make_user("nobody"))
    assert generate(client, plan).status_code == 403
    assert client.get(reverse("extract-download", args=[extract.pk])).status_code == 403
    assert client.get(extract.get_absolute_url()).status_code == 403
    assert Extract.objects.count() == 1


def test_bad_definitions_are_refused_with_messages(generate, client, editor, appendix_plan):
    plan, _ = appendix_plan
    login(client, editor)
    future = (today() + timedelta(days=1)).isoformat()
    body = generate(client, plan, as_at=future, changed_since="2026-01-01").content.decode()
    assert "An extract cannot be as at a future date." in body
    body = generate(client, plan, changed_since="2025-07-01").content.decode()
    assert "must be before the as-at date" in body
    body = generate(client, plan, formats=[]).content.decode()
    assert "This field is required." in body
    assert not Extract.objects.exists()


def test_several_formats_make_one_extract_each_and_the_library_lists_them(generate, client, editor, appendix_plan):
    plan, _ = appendix_plan
    login(client, editor)
    response = generate(client, plan, formats=["docx", "xlsx", "pdf", "csv"])
    assert response.status_code == 302
    assert sorted(Extract.objects.values_list("format", flat=True)) == ["csv", "docx", "pdf", "xlsx"]
    library = client.get(reverse("extracts")).content.decode()
    # Each download link names its format and size: "Download Word (.docx), 65 KB".
    for label in ("Word (.docx)", "Excel (.xlsx)", "PDF (.pdf)", "CSV (.csv)"):
        assert f"Download {label}, " in library
    assert all(e.checksum and e.content_hash for e in Extract.objects.all())
    assert len({e.content_hash for e in Extract.objects.all()}) == 1  # one definition, one content


def test_the_summary_compares_with_the_previous_extract_of_the_plan(generate, client, editor, appendix_plan):
    plan, _ = appendix_plan
    login(client, editor)
    generate(client, plan, as_at="2025-06-30")
    generate(client, plan, as_at="2025-09-01")
    earlier, later = Extract.objects.order_by("as_at")
    assert earlier.summary["previous"] is None
    assert later.summary["previous"]["id"] == earlier.pk
    assert later.summary["previous"]["change"]["R"] == 1 and later.summary["previous"]["change"]["G"] == -1
    page = client.get(later.get_absolute_url()).content.decode()
    assert "Change since the previous extract" in page and "Red: +1" in page


def test_the_same_definition_gives_the_same_file(generate, client, editor, appendix_plan):
    plan, _ = appendix_plan
    login(client, editor)
    generate(client, plan, formats=["docx"])
    generate(client, plan, formats=["docx"])
    first, second = Extract.objects.all()
    assert first.checksum == second.checksum


def test_the_library_lists_extracts_with_a_fixed_number_of_queries(generate, client, editor, appendix_plan):
    plan, _ = appendix_plan
    login(client, editor)
    generate(client, plan, formats=["csv"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("extracts"))
    for _ in range(5):
        generate(client, plan, formats=["csv"])
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("extracts"))
    assert len(one.captured_queries) == len(six.captured_queries)


def test_export_extract_command_writes_the_file(appendix_plan, tmp_path):
    from django.core.management import call_command

    plan, _ = appendix_plan
    out = io.StringIO()
    target = tmp_path / "appendix.docx"
    call_command(
        "export_extract",
        "--plan",
        plan.name,
        "--format",
        "docx",
        "--as-at",
        "2025-06-30",
        "--output",
        str(target),
        stdout=out,
    )
    assert "5 activities as at 30 Jun 2025, 1 withheld" in out.getvalue()
    assert target.read_bytes()[:2] == b"PK"
    call_command(
        "export_extract",
        "--plan",
        plan.slug,
        "--format",
        "csv",
        "--include-complete",
        "--output",
        str(tmp_path / "a.csv"),
        stdout=out,
    )
    assert "Finished work" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert out.getvalue().splitlines()[-1].endswith(f"as at {today():%d %b %Y}, 1 withheld (not for publication).")


def test_export_extract_command_explains_a_bad_plan_or_date(appendix_plan, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match='No plan called "Nowhere"'):
        call_command("export_extract", "--plan", "Nowhere", "--format", "pdf", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "export_extract",
            "--plan",
            "Safer Testshire Plan",
            "--format",
            "pdf",
            "--as-at",
            "30/06/2025",
            "--output",
            str(tmp_path / "x.pdf"),
        )


def test_the_progress_poll_shows_a_bar_then_refreshes_the_page_when_ready(client, editor, appendix_plan, eager_tasks):
    from delivery import services

    plan, _ = appendix_plan
    login(client, editor)
    (extract,) = services.extract_request(by=editor, plan=plan, as_at=date(2025, 6, 30), formats=["pdf"])
    poll = client.get(extract.get_absolute_url() + "?part=status", HTTP_HX_REQUEST="true")
    assert "<progress" in poll.content.decode() and "HX-Refresh" not in poll
    services.extract_generate(extract_id=extract.pk)
    poll = client.get(extract.get_absolute_url() + "?part=status", HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
