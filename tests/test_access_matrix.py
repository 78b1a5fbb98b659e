"""Every URL pattern, walked as every role, as a login with no role and anonymously, with GET and (for
the app's own pages) POST, checked against the table below (issue 8: "tests that stay").

The table is the access policy in one place. A new URL pattern fails `test_every_url_pattern_has_a_row`
until someone adds its row and so decides who may use it. Admin pages are walked too: their rows are
patterns (`admin:*_changelist`) because every registered model adds some; the admin is GETs only (a
POST there changes data and has its own tests).

Columns: anonymous, a login with no role, Administrator, Editor, Owner, Chief Executive, Viewer.
302 for anonymous is the redirect to sign in; 403 for the no-role login is the "ask an administrator"
page; 302 for non-staff in the admin is the admin's own sign-in; 405 is a method the page does not take.
"""

from __future__ import annotations

from datetime import date, timedelta
from fnmatch import fnmatchcase

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, SolarSchedule

from api import services as api_services
from core.dates import today
from delivery import services
from delivery.models import Extract, ImportRun
from kpis import services as kpi_services
from kpis.models import AreaPopulation, ComparatorValue, KpiImport, ObservationRevision
from kpis.periods import Period
from meetings import services as meetings_services
from notifications.models import NotificationSettings
from panel import services as panel_services
from rounds import services as rounds_services
from tests.delivery.importers.builders import tracker_workbook
from tests.factories import OversightBodyFactory, OwnerFactory, SectionFactory, make_activity, make_user
from tests.kpis.factories import MeasureFactory, add_series, add_target, force_and_areas, workbook_bytes
from tests.meetings.conftest import make_action, make_meeting

WHO = ("anonymous", "no role", "Administrator", "Editor", "Owner", "Chief Executive", "Viewer")
READ = (302, 403, 200, 200, 200, 200, 200)  # every role reads; no role reads nothing
EDIT = (302, 403, 200, 200, 403, 403, 403)  # editors and administrators only
WRONG_METHOD = (302, 403, 405, 405, 405, 405, 405)  # the page does not take this method
ADMIN_ONLY = (302, 403, 200, 302, 302, 302, 302)  # staff only; the others get the admin's sign-in
API_READ = (401, 403, 200, 200, 200, 200, 200)  # the API: no credentials is a 401, not a redirect
API_WRONG_METHOD = (401, 403, 405, 405, 405, 405, 405)
API_EDITORS_ONLY = (401, 403, 200, 200, 404, 404, 404)

ACCESS: dict[str, dict[str, tuple[int, ...]]] = {
    # --- sign in and out, health: open to everyone --------------------------------------------
    "login": {"GET": (200, 200, 200, 200, 200, 200, 200), "POST": (200, 200, 200, 200, 200, 200, 200)},
    "logout": {"GET": (302, 405, 405, 405, 405, 405, 405), "POST": (302, 302, 302, 302, 302, 302, 302)},
    "health": {"GET": (200, 200, 200, 200, 200, 200, 200), "POST": (200, 200, 200, 200, 200, 200, 200)},
    # --- reading ----------------------------------------------------------------------------
    "home": {"GET": READ, "POST": WRONG_METHOD},
    "notifications:changes": {"GET": READ, "POST": WRONG_METHOD},
    "notifications:settings": {"GET": READ, "POST": READ},  # a POST without a choice shows the error
    "plan": {"GET": READ, "POST": WRONG_METHOD},
    "plan-objective": {"GET": READ, "POST": WRONG_METHOD},
    "plan-workbook": {"GET": READ, "POST": WRONG_METHOD},
    "activities": {"GET": READ, "POST": WRONG_METHOD},
    "activity": {"GET": READ, "POST": WRONG_METHOD},
    "overdue": {"GET": READ, "POST": WRONG_METHOD},
    "overdue-group": {"GET": READ, "POST": WRONG_METHOD},
    "extracts": {"GET": READ, "POST": WRONG_METHOD},
    "extract": {"GET": READ, "POST": WRONG_METHOD},
    "extract-download": {"GET": READ, "POST": WRONG_METHOD},
    "imports": {"GET": READ, "POST": WRONG_METHOD},
    # --- writing ----------------------------------------------------------------------------
    # The activity is owned by the Owner's owner name: they update it (the form), nobody else below editor.
    "activity-update": {"GET": (302, 403, 200, 200, 200, 403, 403), "POST": (302, 403, 200, 200, 200, 403, 403)},
    "activity-rag": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 302, 403, 403)},
    "extract-new": {"GET": READ, "POST": READ},  # any reader may request an extract
    "import-new": {"GET": EDIT, "POST": EDIT},
    # The preview shows the uploaded content: editors, administrators and the uploader (an Editor here).
    "import": {"GET": EDIT, "POST": WRONG_METHOD},
    "import-file": {"GET": EDIT, "POST": WRONG_METHOD},
    "import-apply": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    # The mapping step's answers: editors only.
    "import-remap": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    # "Try again" on a stuck job: its creator (an Editor here) and editors; others 403.
    "import-try-again": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "extract-try-again": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    # --- pages open without signing in ------------------------------------------------------------
    "accessibility": {"GET": (200, 200, 200, 200, 200, 200, 200), "POST": (200, 200, 200, 200, 200, 200, 200)},
    "privacy": {"GET": (200, 200, 200, 200, 200, 200, 200), "POST": (200, 200, 200, 200, 200, 200, 200)},
    # --- holding-to-account meetings (the meeting is approved; the action is owned by the Owner) ----
    "meetings:list": {"GET": READ, "POST": WRONG_METHOD},
    "meetings:detail": {"GET": READ, "POST": WRONG_METHOD},
    "meetings:notes": {"GET": READ, "POST": WRONG_METHOD},
    "meetings:actions": {"GET": READ, "POST": WRONG_METHOD},
    "meetings:action": {"GET": READ, "POST": WRONG_METHOD},
    "meetings:requests": {"GET": READ, "POST": WRONG_METHOD},
    "meetings:request": {"GET": READ, "POST": EDIT},  # POST records the response: editors
    "meetings:panel-report": {"GET": READ, "POST": WRONG_METHOD},
    "meetings:new": {"GET": EDIT, "POST": EDIT},
    "meetings:edit": {"GET": EDIT, "POST": EDIT},
    "meetings:findings": {"GET": EDIT, "POST": EDIT},
    "meetings:agenda": {"GET": EDIT, "POST": EDIT},
    "meetings:state": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "meetings:action-new": {"GET": EDIT, "POST": EDIT},
    "meetings:action-update": {"GET": (302, 403, 200, 200, 200, 403, 403), "POST": (302, 403, 200, 200, 200, 403, 403)},
    # The role is checked before the form is read: a reader's empty POST is a 403; an editor's or the
    # owner's empty POST is refused as invalid (redirect with a message).
    "meetings:action-status": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 302, 403, 403)},
    "meetings:request-new": {"GET": EDIT, "POST": EDIT},
    "meetings:request-edit": {"GET": EDIT, "POST": EDIT},
    # --- KPIs (the KPI action is owned by the Owner's owner name; the KPI import was uploaded by the Editor) --
    "kpis:catalogue": {"GET": READ, "POST": WRONG_METHOD},
    "kpis:measure": {"GET": READ, "POST": WRONG_METHOD},
    "kpis:summary": {"GET": READ, "POST": WRONG_METHOD},
    "kpis:summary-download": {"GET": READ, "POST": WRONG_METHOD},
    "kpis:actions": {"GET": READ, "POST": WRONG_METHOD},
    "kpis:imports": {"GET": READ, "POST": WRONG_METHOD},
    # Writes: the role is checked before the form is read, so an empty POST from a reader is refused.
    "kpis:action-raise": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "kpis:action-status": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 302, 403, 403)},
    "kpis:summary-edit": {"GET": EDIT, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "kpis:import-new": {"GET": EDIT, "POST": EDIT},
    # The preview shows the uploaded content: editors, administrators and the uploader (an Editor here).
    "kpis:import": {"GET": EDIT, "POST": WRONG_METHOD},
    "kpis:import-apply": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "kpis:import-try-again": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    # --- update rounds (issue 15): everyone reads; editors open, review and close; the owner of a
    # request (the Owner here) and editors upload its workbook (an empty upload is a 400 with the error).
    "rounds:list": {"GET": READ, "POST": WRONG_METHOD},
    "rounds:round": {"GET": READ, "POST": WRONG_METHOD},
    "rounds:request": {"GET": READ, "POST": WRONG_METHOD},
    "rounds:request-workbook": {"GET": READ, "POST": WRONG_METHOD},
    "rounds:request-upload": {"GET": WRONG_METHOD, "POST": (302, 403, 400, 400, 400, 403, 403)},
    "rounds:new": {"GET": EDIT, "POST": EDIT},
    "rounds:item-return": {"GET": EDIT, "POST": EDIT},
    "rounds:item-approve": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "rounds:approve-submitted": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "rounds:close": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    # --- panel reports (issue 14): everyone reads; editors draft, edit, generate and approve. The report
    # in the world is approved, so edits and generating again are refused in the page (200 or a redirect).
    "update-for-panel": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 302, 403, 403)},
    # --- the audit log: Administrators and the Chief Executive; nobody writes to it -----------------
    "audit-log": {"GET": (302, 403, 200, 403, 403, 200, 403), "POST": (302, 403, 405, 403, 403, 405, 403)},
    "panel:list": {"GET": READ, "POST": WRONG_METHOD},
    "panel:report": {"GET": READ, "POST": WRONG_METHOD},
    "panel:packs": {"GET": READ, "POST": WRONG_METHOD},
    "panel:pack": {"GET": READ, "POST": WRONG_METHOD},
    "panel:pack-file": {"GET": READ, "POST": WRONG_METHOD},
    "panel:new": {"GET": EDIT, "POST": EDIT},
    "panel:section-edit": {"GET": EDIT, "POST": EDIT},
    "panel:generate": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "panel:approve": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    "panel:pack-try-again": {"GET": WRONG_METHOD, "POST": (302, 403, 302, 302, 403, 403, 403)},
    # --- the read-only API (issue 15). The test client signs in with the session, which the API takes for GET
    # (a bearer token reads the same; see tests/api/). No credentials: 401, not the sign-in redirect. Writes:
    # 405 for everyone signed in (401 without credentials); no role: the "ask an administrator" page.
    **{
        f"api:{name}-{kind}": {"GET": API_READ, "POST": API_WRONG_METHOD}
        for name in (
            "plan",
            "objective",
            "commitment",
            "activity",
            "update",
            "measure",
            "area",
            "observation",
            "meeting",
            "action",
        )
        for kind in ("list", "detail")
    },
    # The world's meeting is approved, not yet published: the pages show it to staff, the API only to those
    # who may see drafts (editors, administrators); the lists answer everyone (without it).
    "api:meeting-detail": {"GET": API_EDITORS_ONLY, "POST": API_WRONG_METHOD},
    "api:action-detail": {"GET": API_EDITORS_ONLY, "POST": API_WRONG_METHOD},
    "api:schema": {"GET": API_READ, "POST": API_WRONG_METHOD},
    "api:docs": {"GET": READ, "POST": WRONG_METHOD},
    # Any reader makes their own tokens (an empty POST redisplays the form with its errors) and revokes only
    # their own: the token here is the Editor's, so anyone else's POST is a 404.
    "api:tokens": {"GET": READ, "POST": READ},
    "api:token-revoke": {"GET": WRONG_METHOD, "POST": (302, 403, 404, 302, 404, 404, 404)},
    # --- the admin site (GET only) ----------------------------------------------------------------
    "admin:index": {"GET": ADMIN_ONLY},
    "admin:login": {"GET": (302, 403, 302, 403, 403, 403, 403)},  # anonymous: the site's sign-in
    "admin:logout": {"GET": (302, 403, 405, 302, 302, 302, 302)},
    "admin:password_change": {"GET": ADMIN_ONLY},
    "admin:password_change_done": {"GET": ADMIN_ONLY},
    "admin:jsi18n": {"GET": ADMIN_ONLY},
    "admin:autocomplete": {"GET": (302, 403, 403, 302, 302, 302, 302)},
    "admin:app_list": {"GET": ADMIN_ONLY},
    "admin:view_on_site": {"GET": (302, 403, 302, 302, 302, 302, 302)},
    "admin:auth_user_password_change": {"GET": ADMIN_ONLY},
    "admin:*_changelist": {"GET": ADMIN_ONLY},
    "admin:*_add": {"GET": ADMIN_ONLY},
    "admin:*_change": {"GET": ADMIN_ONLY},
    "admin:*_delete": {"GET": ADMIN_ONLY},
    "admin:*_history": {"GET": ADMIN_ONLY},
    "admin:*_simple_history": {"GET": ADMIN_ONLY},
}

# Admin pages that differ from their pattern's row, and why.
NOT_EVEN_ADMIN = (302, 403, 403, 302, 302, 302, 302)
ADMIN_EXCEPTIONS: dict[str, dict[str, tuple[int, ...]]] = {
    # Sign-in records are written by django-axes only.
    "admin:axes_accessattempt_add": {"GET": NOT_EVEN_ADMIN},
    "admin:axes_accesslog_add": {"GET": NOT_EVEN_ADMIN},
    "admin:axes_accessfailurelog_add": {"GET": NOT_EVEN_ADMIN},
    # Activities are added by the app (or an import) so that each starts with its "created" update.
    "admin:delivery_activity_add": {"GET": NOT_EVEN_ADMIN},
    # Meeting actions are added from their meeting's page, each with its first update.
    "admin:meetings_action_add": {"GET": NOT_EVEN_ADMIN},
    # Progress updates are append-only: the history is never written or deleted by hand.
    "admin:delivery_progressupdate_add": {"GET": NOT_EVEN_ADMIN},
    "admin:delivery_progressupdate_delete": {"GET": NOT_EVEN_ADMIN},
    # Update rounds are opened in the app, which makes their requests and items and sends the emails.
    "admin:rounds_updateround_add": {"GET": NOT_EVEN_ADMIN},
    "admin:rounds_roundrequest_add": {"GET": NOT_EVEN_ADMIN},
    "admin:rounds_rounditem_add": {"GET": NOT_EVEN_ADMIN},
    # The audit trail is append-only: nobody adds or deletes an entry, even in the admin.
    "admin:core_auditentry_add": {"GET": NOT_EVEN_ADMIN},
    "admin:core_auditentry_delete": {"GET": NOT_EVEN_ADMIN},
    # KPI observations and their revisions are history, written by imports only; commentary is written on
    # the performance summary (its history too); KPI imports are uploaded; KPI actions are raised on a
    # measure's page.
    "admin:kpis_observation_add": {"GET": NOT_EVEN_ADMIN},
    "admin:kpis_observation_delete": {"GET": NOT_EVEN_ADMIN},
    "admin:kpis_observationrevision_add": {"GET": NOT_EVEN_ADMIN},
    "admin:kpis_observationrevision_delete": {"GET": NOT_EVEN_ADMIN},
    "admin:kpis_commentary_add": {"GET": NOT_EVEN_ADMIN},
    "admin:kpis_commentary_delete": {"GET": NOT_EVEN_ADMIN},
    "admin:kpis_kpiimport_add": {"GET": NOT_EVEN_ADMIN},
    "admin:kpis_kpiaction_add": {"GET": NOT_EVEN_ADMIN},
    # API tokens are made by their users on their own page (the secret is shown to them once).
    "admin:api_apitoken_add": {"GET": NOT_EVEN_ADMIN},
}


def _patterns(resolver=None, prefix: str = "", namespace: str = "") -> list[tuple[str, URLPattern, str]]:
    """(name with namespace, pattern, route) for every named pattern under the root URLconf."""
    resolver = resolver or get_resolver()
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            found.append((f"{namespace}{p.name}" if p.name else "", p, prefix + str(p.pattern)))
    return found


def all_url_names() -> list[str]:
    return sorted({name for name, _, _ in _patterns() if name})


def row_for(name: str) -> str | None:
    if name in ADMIN_EXCEPTIONS or name in ACCESS:
        return name
    matches = [key for key in ACCESS if "*" in key and fnmatchcase(name, key)]
    return max(matches, key=len) if matches else None


def test_every_url_pattern_has_a_name_and_a_row():
    # The admin's own unnamed patterns (its redirect from <id>/ to <id>/change/ and its catch-all) are
    # behind the admin's sign-in like the rest of it.
    unnamed = [route for name, _, route in _patterns() if not name and not route.startswith("admin/")]
    assert not unnamed, f"URL patterns without a name cannot be in the access table: {unnamed}"
    missing = [name for name in all_url_names() if row_for(name) is None]
    assert not missing, f"Add these URL names to ACCESS in {__file__} (who may use them?): {missing}"
    stale = [key for key in ACCESS if "*" not in key and key not in all_url_names()]
    assert not stale, f"Rows for URL names that no longer exist: {stale}"


@pytest.fixture
def world(db, django_capture_on_commit_callbacks, eager_tasks):
    users = {"anonymous": None, "no role": make_user("norole")}
    for role in WHO[2:]:
        users[role] = make_user(role.lower().replace(" ", "-"), role=role, is_superuser=role == "Administrator")
    editor = users["Editor"]
    owner = OwnerFactory(name="Supt Paley", user=users["Owner"])
    activity = make_activity(owners=[owner], due_date=today())
    plan = activity.commitment.plan
    with django_capture_on_commit_callbacks(execute=True):
        services.extract_request(by=editor, plan=plan, as_at=today(), formats=["csv"])
    run, _ = services.import_from_file(
        by=editor, data=tracker_workbook(), filename="tracker.xlsx", plan_name="Charter", dry_run=True
    )
    assert Extract.objects.get().state == Extract.State.DONE and run.state == ImportRun.State.PREVIEWED
    meeting = make_meeting()
    action = make_action(meeting=meeting, owners=[owner], due_date=today())
    written = meetings_services.request_create(by=editor, subject="Custody times", question="Q", sent_on=today())
    # KPIs: a measure with a series, a target, a comparator and a commentary; an action the Owner owns;
    # an import uploaded by the Editor and previewed.
    force, _areas = force_and_areas(("Shropshire",))
    measure = MeasureFactory(name="Knife crime")
    add_target(measure, 95, tolerance=5)
    add_series(measure, force, [100, 104, 98, 101, 99, 103, 97, 100, 150])
    measure.objectives.add(activity.commitment.objective)
    AreaPopulation.objects.create(area=force, year=2017, population=1_300_000)
    ComparatorValue.objects.create(measure=measure, area=force, period_kind="M", period_start=date(2017, 4, 1))
    kpi_services.commentary_save(by=editor, measure=measure, period=Period.month(2017, 4), data_text="", commentary="C")
    kpi_action = kpi_services.kpi_action_raise(
        by=editor, measure=measure, text="Look into it", owner_name="Supt Paley", due_date=today()
    )
    kpi_run, _ = kpi_services.kpi_import_from_file(
        by=editor,
        data=workbook_bytes(
            {"D": [["Measure", "Area", "Period", "Value"], ["Burglary", "West Mercia Police", "2017-07", 10]]}
        ),
        filename="kpis.xlsx",
        dry_run=True,
    )
    assert kpi_run.state == KpiImport.State.PREVIEWED, kpi_run.preview
    observation = measure.observations.order_by("pk").first()
    ObservationRevision.objects.create(
        observation=observation,
        measure=measure,
        value=99,
        recorded_on=date(2019, 1, 1),
        superseded_on=observation.recorded_on,
    )
    report = panel_services.report_create(
        by=editor, plan=plan, period_from=today() - timedelta(days=90), as_at=today(), meeting_on=today(),
        meeting_title="Police and Crime Panel",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        pack = panel_services.pack_request(by=editor, report=report)
    panel_services.report_approve(by=editor, report=report)
    pack.refresh_from_db()
    update_round = rounds_services.round_open(
        by=editor, plan=plan, title="Q3 update", deadline=today() + timedelta(days=14), as_at=today()
    )
    round_request = update_round.requests.get()
    pack.refresh_from_db()
    # One object of every model the admin shows, so each change, delete and history page is walked.
    SectionFactory(objective=activity.commitment.objective)
    OversightBodyFactory()
    AccessAttempt.objects.create(username="someone", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username="someone", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="someone", ip_address="192.0.2.1")
    api_token = api_services.token_create(by=editor, name="Power BI").token
    call_command("setup_schedules", verbosity=0)  # periodic tasks, crontab and interval schedules
    SolarSchedule.objects.create(event="sunrise", latitude=52.2, longitude=-2.2)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    NotificationSettings.objects.update_or_create(user=users["Viewer"], defaults={"digest": "daily"})
    return {
        "api_token": api_token,
        "users": users,
        "activity": activity,
        "plan": plan,
        "extract": Extract.objects.get(),
        "run": run,
        "meeting": meeting,
        "action": action,
        "request": written,
        "measure": measure,
        "kpi_action": kpi_action,
        "kpi_run": kpi_run,
        "panel_report": report,
        "pack": pack,
        "round": update_round,
        "round_request": round_request,
    }


def _admin_object(name: str):
    """A real object for an admin URL that takes one: the model named in the URL name."""
    from django.contrib import admin

    for model in admin.site._registry:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(label):
            return model._default_manager.order_by("pk").first()
    return None


def url_of(name: str, pattern: URLPattern, world) -> str | None:
    keys = list(pattern.pattern.converters) or [*getattr(pattern.pattern, "regex", None).groupindex]
    by_name = {
        "plan": {"slug": world["plan"].slug},
        "plan-workbook": {"slug": world["plan"].slug},
        "plan-objective": {"slug": world["plan"].slug, "pk": world["activity"].commitment.objective_id},
        "activity": {"pk": world["activity"].pk},
        "activity-update": {"pk": world["activity"].pk},
        "activity-rag": {"pk": world["activity"].pk},
        "extract": {"pk": world["extract"].pk},
        "extract-download": {"pk": world["extract"].pk},
        "import": {"pk": world["run"].pk},
        "import-file": {"pk": world["run"].pk},
        "import-apply": {"pk": world["run"].pk},
        "import-remap": {"pk": world["run"].pk},
        "import-try-again": {"pk": world["run"].pk},
        "extract-try-again": {"pk": world["extract"].pk},
    }
    by_name["update-for-panel"] = {"pk": world["activity"].updates.first().pk}
    for url_name in ("report", "generate", "approve"):
        by_name[f"panel:{url_name}"] = {"pk": world["panel_report"].pk}
    by_name["panel:section-edit"] = {"pk": world["panel_report"].sections.first().pk}
    by_name["panel:pack"] = by_name["panel:pack-try-again"] = {"pk": world["pack"].pk}
    by_name["panel:pack-file"] = {"pk": world["pack"].pk, "name": world["pack"].files[0]["name"]}
    for url_name in ("detail", "edit", "findings", "agenda", "state", "action-new"):
        by_name[f"meetings:{url_name}"] = {"pk": world["meeting"].pk}
    by_name["meetings:notes"] = {"pk": world["meeting"].pk, "fmt": "docx"}
    for url_name in ("action", "action-update", "action-status"):
        by_name[f"meetings:{url_name}"] = {"pk": world["action"].pk}
    for url_name in ("round", "approve-submitted", "close"):
        by_name[f"rounds:{url_name}"] = {"pk": world["round"].pk}
    for url_name in ("request", "request-workbook", "request-upload"):
        by_name[f"rounds:{url_name}"] = {"pk": world["round_request"].pk}
    for url_name in ("item-return", "item-approve"):
        by_name[f"rounds:{url_name}"] = {"pk": world["round_request"].items.get().pk}
    by_name["kpis:measure"] = {"pk": world["measure"].pk}
    by_name["kpis:action-raise"] = {"pk": world["measure"].pk}
    by_name["kpis:summary-edit"] = {"measure_pk": world["measure"].pk}
    by_name["kpis:summary-download"] = {"fmt": "csv"}
    by_name["kpis:action-status"] = {"pk": world["kpi_action"].pk}
    for url_name in ("import", "import-apply", "import-try-again"):
        by_name[f"kpis:{url_name}"] = {"pk": world["kpi_run"].pk}
    for url_name in ("request", "request-edit"):
        by_name[f"meetings:{url_name}"] = {"pk": world["request"].pk}
    by_name["api:token-revoke"] = {"pk": world["api_token"].pk}
    if name.startswith("api:") and name.endswith("-detail"):
        from api import selectors as api_selectors

        reader = getattr(api_selectors, {"activity": "activities", "update": "progress_updates"}.get(
            name[4:-7], name[4:-7] + "s"
        ))  # fmt: skip
        by_name[name] = {"pk": reader(user=world["users"]["Administrator"]).order_by("pk").first().pk}
    if name in by_name:
        return reverse(name, kwargs=by_name[name])
    if name.endswith("_simple_history"):  # django-simple-history's one history entry, positional groups
        obj = _admin_object(name)
        return reverse(name, args=[obj.pk, obj.history.order_by("pk").first().pk]) if obj is not None else None
    if not keys:
        return reverse(name)
    if name == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        return reverse(name, args=[ContentType.objects.get_for_model(world["plan"]).pk, world["plan"].pk])
    kwargs = {}
    for key in keys:
        if key == "object_id":
            obj = _admin_object(name)
            if obj is None:
                return None
            kwargs[key] = obj.pk
        elif key == "app_label":
            kwargs[key] = "delivery"
        elif key == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            kwargs[key] = ContentType.objects.get_for_model(world["plan"]).pk
        elif key == "history_id":
            obj = _admin_object(name)
            if obj is None or not hasattr(obj, "history"):
                return None
            kwargs[key] = obj.history.order_by("pk").first().pk
        elif key == "id":
            kwargs[key] = world["users"]["Administrator"].pk
        else:
            raise AssertionError(f"{name}: no value for the URL argument {key!r}; teach url_of")
    if name == "admin:view_on_site":
        kwargs["object_id"] = world["plan"].pk
    return reverse(name, kwargs=kwargs)


def observe(world, name: str, pattern, method: str) -> tuple[int, ...] | None:
    url = url_of(name, pattern, world)
    if url is None:
        return None
    statuses = []
    for who in WHO:
        client = Client()
        if world["users"][who] is not None:
            client.force_login(world["users"][who])
        response = client.get(url) if method == "GET" else client.post(url, {})
        statuses.append(response.status_code)
    return tuple(statuses)


def _walk_cases():
    cases = []
    for name, pattern, _ in _patterns():
        if not name:
            continue
        methods = ("GET",) if name.startswith("admin:") else ("GET", "POST")
        cases += [pytest.param(name, pattern, m, id=f"{m} {name}") for m in methods]
    return cases


@pytest.mark.parametrize(("name", "pattern", "method"), _walk_cases())
def test_each_url_answers_each_kind_of_user_as_the_table_says(world, name, pattern, method):
    key = row_for(name)
    assert key is not None, f"{name} has no row in ACCESS"
    expected = (ADMIN_EXCEPTIONS.get(name) or ACCESS[key]).get(method)
    assert expected is not None, f"{name}: no {method} column in its row {key!r}"
    got = observe(world, name, pattern, method)
    if got is None:
        pytest.skip(f"{name}: no object of its model to walk with")
    assert got == expected, f"{method} {name}: got {got}, table says {expected} (columns: {WHO})"


@pytest.mark.parametrize(
    "query",
    [
        "activities?_export=csv",
        "activities?_export=xlsx",
        "overdue?_export=csv",
        "extracts?_export=csv",
        "imports?_export=xlsx",
        "kpis:catalogue?_export=csv",
        "kpis:actions?_export=xlsx",
        "kpis:imports?_export=csv",
    ],
)
def test_a_login_with_no_role_gets_no_export_only_the_ask_for_access_page(world, query):
    client = Client()
    client.force_login(world["users"]["no role"])
    name, _, params = query.partition("?")
    response = client.get(f"{reverse(name)}?{params}")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "ask an administrator" in response.content.decode().lower()
