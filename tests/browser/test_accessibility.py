"""axe-core (npm, vendored in static/vendor/axe-core) on every page type as every role, failing on any
serious or critical violation; no Content-Security-Policy violation on any of them; and keyboard-only
journeys that record an update (an activity's, a meeting action's) and land on the focused success banner.
The meetings pages are checked the same way; a page a role may not open (a draft, an editing page) is
listed with its HTTP status, not checked."""

from datetime import date, timedelta

import pytest

from core.dates import today
from delivery.models import Rag, Status
from tests.factories import PASSWORD, CommitmentFactory, OwnerFactory, SectionFactory, make_activity, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROLES = ("Administrator", "Editor", "Owner", "Chief Executive", "Viewer")


def _data():
    users = {
        role: make_user(role.lower().replace(" ", ""), role=role, is_superuser=role == "Administrator")
        for role in ROLES
    }
    section = SectionFactory(title="Policing element")
    commitment = CommitmentFactory(objective=section.objective, section=section, ref="1.1", text="Improve 101")
    owner = OwnerFactory(name="Supt Paley", user=users["Owner"])
    activity = make_activity(
        commitment=commitment,
        sub_ref="1.1.1",
        text="Introduce call-back for abandoned 101 calls",
        owners=[owner],
        rag=Rag.GREEN,
        status=Status.IN_PROGRESS,
        due_date=today() - timedelta(days=10),
        on=date(2025, 1, 6),
    )
    return users, commitment.plan, activity


def _pages(plan, activity):
    return {
        "home": "/",
        "plan": f"/plans/{plan.slug}/",
        "activity list": "/activities/",
        "activity": f"/activities/{activity.pk}/",
        "update form": f"/activities/{activity.pk}/update/",
        "overdue review": "/overdue/",
        "overdue group": "/overdue/group/?by=kind&key=activity",
        "extracts": "/extracts/",
        "new extract": f"/extracts/new/?plan={plan.pk}",
        "imports": "/imports/",
        "import upload": "/imports/new/",
        "accessibility": "/accessibility/",
        "privacy": "/privacy/",
        "audit log": "/audit/",
        "audit log filtered": "/audit/?action=update&model=delivery.activity",
    }


def _sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _axe(page, base):
    page.add_script_tag(url=f"{base}/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: "
        "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa','best-practice']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, "
        "target: v.nodes[0].target.join(' ')}))"
    )
    return result


def _axe_every_page_as_every_role(browser, live_server, users, pages):
    """axe on every page as every role; returns the report rows, the serious or critical violations and
    any Content-Security-Policy violation the console showed."""
    report, failures, csp = [], [], []
    for role, user in users.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
        _sign_in(page, live_server.url, user.username)
        for name, path in pages.items():
            response = page.goto(f"{live_server.url}{path}")
            if response.status != 200:
                report.append((role, name, f"HTTP {response.status}"))
                continue
            violations = _axe(page, live_server.url)
            bad = [v for v in violations if v["impact"] in ("serious", "critical")]
            report.append((role, name, [f"{v['id']}({v['impact']})" for v in violations]))
            failures += [(role, name, v) for v in bad]
        context.close()
    print("\naxe results per role and page:")
    for row in report:
        print(" ", row)
    return report, failures, csp


def test_axe_finds_no_serious_or_critical_problem_on_any_page_as_any_role(browser, live_server):
    users, plan, activity = _data()
    _report, failures, csp = _axe_every_page_as_every_role(browser, live_server, users, _pages(plan, activity))
    assert not failures, failures
    assert not csp, csp


def _meetings_data(users, activity):
    """An approved meeting (agenda, findings for and not for the panel, an action the Owner owns linked to
    the activity), a draft, and written requests awaiting, overdue and answered."""
    from meetings import services as meetings

    editor = users["Editor"]
    owner = activity.owners.get()
    held = today() - timedelta(days=40)
    meeting = meetings.meeting_create(
        by=editor,
        kind="thematic",
        held_on=held,
        subject_area="Connecting with Communities",
        attendees="PCC\nChief Constable",
        notes="<h2>Summary</h2><p>The Commissioner asked about <strong>101</strong>.</p><ul><li>One</li></ul>",
    )
    meetings.agenda_save(
        by=editor,
        meeting=meeting,
        items=[{"title": "101 call-backs", "activity": activity}, {"title": "Neighbourhood teams", "kpi_ref": "KPI 7"}],
    )
    meetings.findings_save(
        by=editor,
        meeting=meeting,
        findings=[
            {"text": "Call-backs are rising.", "for_panel": True},
            {"text": "Staffing is short.", "for_panel": False},
        ],
    )
    action = meetings.action_create(
        by=editor,
        meeting=meeting,
        text="Report the call-back rate to the next meeting",
        owners=[owner],
        due_date=today() - timedelta(days=5),
        activity=activity,
        on=held,
    )
    meetings.action_create(
        by=editor, meeting=meeting, text="Publish the Outcome 16 audit", due_date=today() + timedelta(days=20), on=held
    )
    meetings.meeting_set_state(by=editor, meeting=meeting, state="approved")
    draft = meetings.meeting_create(by=editor, kind="formal", held_on=today(), subject_area="Draft subject")
    meetings.request_create(by=editor, subject="Stop and search", question="Why?", sent_on=today() - timedelta(days=2))
    late = meetings.request_create(
        by=editor, subject="Custody waits", question="How long?", sent_on=today() - timedelta(days=60), meeting=meeting
    )
    answered = meetings.request_create(
        by=editor, subject="Rural crime", question="What changed?", sent_on=today() - timedelta(days=50)
    )
    meetings.request_record_response(
        by=editor, request=answered, received_on=today() - timedelta(days=30), response="An answer."
    )
    return meeting, draft, action, late


def _meetings_pages(meeting, draft, action, request):
    start, end = (today() - timedelta(days=90)).isoformat(), today().isoformat()
    return {
        "meetings list": "/meetings/",
        "meetings list, filtered": "/meetings/?kind=thematic&held_after=01/01/2020&state=approved",
        "meeting page": f"/meetings/{meeting.pk}/",
        "draft meeting page": f"/meetings/{draft.pk}/",
        "meeting form (new)": "/meetings/new/",
        "meeting form (edit)": f"/meetings/{meeting.pk}/edit/",
        "findings form": f"/meetings/{meeting.pk}/findings/",
        "agenda form": f"/meetings/{meeting.pk}/agenda/",
        "action log": "/meetings/actions/",
        "action log, overdue": "/meetings/actions/?overdue=on",
        "action page": f"/meetings/actions/{action.pk}/",
        "action form": f"/meetings/{meeting.pk}/actions/new/",
        "action update form": f"/meetings/actions/{action.pk}/update/",
        "written-requests tracker": "/meetings/requests/",
        "request page": f"/meetings/requests/{request.pk}/",
        "request form (new)": "/meetings/requests/new/",
        "request form (edit)": f"/meetings/requests/{request.pk}/edit/",
        "panel report page": "/meetings/panel-report/",
        "panel report page, a period": f"/meetings/panel-report/?start={start}&end={end}",
        "panel report page, an error": "/meetings/panel-report/?start=31/02/2025&end=",
        "activity page with its meetings panel": f"/activities/{action.activity_id}/",
    }


def test_axe_finds_no_serious_or_critical_problem_on_any_meetings_page_as_any_role(browser, live_server):
    users, _plan, activity = _data()
    meeting, draft, action, request = _meetings_data(users, activity)
    pages = _meetings_pages(meeting, draft, action, request)
    report, failures, csp = _axe_every_page_as_every_role(browser, live_server, users, pages)
    checked = {(role, name) for role, name, result in report if not isinstance(result, str)}
    # Every page type was really checked as someone, and the pages a role may not see were refused.
    assert {name for _role, name in checked} == set(pages)
    refused = {(role, name): result for role, name, result in report if isinstance(result, str)}
    assert refused[("Viewer", "draft meeting page")] == "HTTP 404"
    assert refused[("Viewer", "meeting form (new)")] == "HTTP 403"
    assert refused[("Owner", "action form")] == "HTTP 403"
    assert ("Owner", "action update form") in checked and ("Viewer", "action update form") not in checked
    assert failures == [], failures
    assert not csp, csp


def test_at_390px_the_activity_list_scrolls_inside_its_box_not_the_page(browser, live_server):
    users, _plan, _activity = _data()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, live_server.url, users["Editor"].username)
    page.goto(f"{live_server.url}/activities/")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 400"
        " && !(e.parentElement && e.parentElement.closest('.app-table-scroll'))).slice(0, 8)"
        ".map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right))"
    )
    assert widths[0] <= widths[1], (widths, wide)
    context.close()


def test_at_390px_no_meetings_page_scrolls_sideways(browser, live_server):
    users, _plan, activity = _data()
    meeting, _draft, action, request = _meetings_data(users, activity)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, live_server.url, users["Editor"].username)
    too_wide = {}
    for name in (
        "meetings list",
        "meeting page",
        "action log",
        "action page",
        "written-requests tracker",
        "request page",
        "panel report page, a period",
        "findings form",
        "agenda form",
        "action form",
    ):
        page.goto(live_server.url + _meetings_pages(meeting, _draft, action, request)[name])
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            too_wide[name] = widths
    assert too_wide == {}
    context.close()


def _tab_to(page, predicate_js, limit=80):
    """Press Tab until the focused element satisfies `predicate_js` (keyboard-only journeys)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"never reached {predicate_js}")


def test_a_keyboard_only_user_records_an_update_and_lands_on_the_success_banner(browser, live_server):
    users, _plan, activity = _data()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, live_server.url, users["Owner"].username)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")

    _tab_to(page, "() => document.activeElement.textContent.trim() === 'Record an update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Tab reaches the RAG radios at the checked one (G Green); the up arrow chooses A Amber.
    _tab_to(page, "() => document.activeElement.name === 'rag'")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.id") == "id_rag_1"
    # Without a reason: the error summary takes focus and the title says "Error:".
    _tab_to(page, "() => document.activeElement.textContent.trim() === 'Save update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    page.wait_for_function("() => document.activeElement.classList.contains('govuk-error-summary')")
    _tab_to(page, "() => document.activeElement.id === 'id_text'")
    page.keyboard.type("Supplier slipped; new go-live agreed.")
    _tab_to(page, "() => document.activeElement.textContent.trim() === 'Save update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.dataset.testid === 'success-banner'")
    assert "Update saved." in page.evaluate("() => document.activeElement.textContent")
    context.close()


def test_a_keyboard_only_owner_updates_their_meeting_action_and_lands_on_the_success_banner(browser, live_server):
    users, _plan, activity = _data()
    _meeting, _draft, action, _request = _meetings_data(users, activity)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in(page, live_server.url, users["Owner"].username)
    page.goto(f"{live_server.url}/meetings/actions/{action.pk}/")

    _tab_to(page, "() => document.activeElement.textContent.trim() === 'Record an update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Tab reaches the status radios at the checked one (Open); two presses of the down arrow choose Closed.
    _tab_to(page, "() => document.activeElement.name === 'status'")
    assert page.evaluate("() => document.activeElement.id") == "id_status_0"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.id") == "id_status_2"
    # Closed without saying why: the error summary takes focus, the title says "Error:", the choice is kept.
    _tab_to(page, "() => document.activeElement.textContent.trim() === 'Save update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    page.wait_for_function("() => document.activeElement.classList.contains('govuk-error-summary')")
    assert "Say why the action is closed" in page.evaluate("() => document.activeElement.textContent")
    assert page.evaluate("() => document.getElementById('id_status_2').checked")
    bad = [v for v in _axe(page, live_server.url) if v["impact"] in ("serious", "critical")]
    assert not bad, bad
    # The summary's link takes the user to the box; they say why and save.
    _tab_to(page, "() => document.activeElement.getAttribute('href') === '#id_text'")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_text"
    page.keyboard.type("Superseded by the new call-back target.")
    _tab_to(page, "() => document.activeElement.textContent.trim() === 'Save update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.dataset.testid === 'success-banner'")
    assert "Update saved." in page.evaluate("() => document.activeElement.textContent")
    action.refresh_from_db()
    assert action.status == "closed" and action.progress == "Superseded by the new call-back target."
    assert not csp, csp
    context.close()


def test_the_action_logs_inline_status_change_works_under_the_content_security_policy(browser, live_server):
    users, _plan, activity = _data()
    _meeting, _draft, action, _request = _meetings_data(users, activity)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in(page, live_server.url, users["Owner"].username)
    page.goto(f"{live_server.url}/meetings/actions/")
    page.get_by_label(f"Status of {action.ref}", exact=True).select_option("complete")
    page.get_by_role("button", name=f"Save status of {action.ref}").click()
    form = page.get_by_role("form", name=f"Change status of {action.ref}")
    form.get_by_role("status").wait_for()
    assert "Saved: Done" in form.get_by_role("status").text_content()
    # htmx swapped the form in place (no page load) and gave focus back to its Save button.
    assert page.evaluate("() => document.activeElement.id") == f"status-save-{action.pk}"
    assert page.evaluate("() => document.querySelectorAll('[style]').length") == 0
    action.refresh_from_db()
    assert action.status == "complete"
    assert not csp, csp
    context.close()


def _kpi_data(users, activity):
    """A measure with a target and a special cause in the force and an area, linked to the activity's
    objective and commitment; a comparator, a commentary, an action the Owner owns; a previewed import
    (uploaded by the Editor) and one with errors."""
    from kpis import services as kpis
    from kpis.models import ComparatorValue
    from kpis.periods import Period
    from tests.kpis.factories import MeasureFactory, add_series, add_target, force_and_areas, workbook_bytes

    editor = users["Editor"]
    force, (shropshire, _) = force_and_areas()
    measure = MeasureFactory(name="Knife crime", unit="count", polarity="lower", source="Force systems")
    measure.objectives.add(activity.commitment.objective)
    measure.commitments.add(activity.commitment)
    add_target(measure, 95, tolerance=5)
    steady = [100, 104, 98, 101, 99, 103, 97, 100, 102, 98, 101, 99, 100, 103, 97, 101, 99, 102, 98, 100]
    add_series(measure, force, [*steady, 150])
    add_series(measure, shropshire, [v / 2 for v in [*steady, 150]])
    ComparatorValue.objects.create(
        measure=measure, area=force, period_kind="M", period_start=date(2018, 12, 1), msg_average=90, rank=3, rank_of=8
    )
    kpis.commentary_save(
        by=editor, measure=measure, period=Period.quarter_of(date(2018, 10, 1)), data_text="", commentary="Rising."
    )
    owner = activity.owners.get()
    kpis.kpi_action_raise(by=editor, measure=measure, text="Explain the rise", owner_name=owner.name, due_date=today())
    good, _ = kpis.kpi_import_from_file(
        by=editor,
        data=workbook_bytes(
            {"D": [["Measure", "Area", "Period", "Value"], ["Burglary", "West Mercia Police", "2017-07", 10]]}
        ),
        filename="kpis.xlsx",
        dry_run=True,
    )
    bad, _ = kpis.kpi_import_from_file(
        by=editor,
        data=workbook_bytes(
            {"D": [["Measure", "Area", "Period", "Value"], ["Burglary", "West Mercia Police", "not a period", "x"]]}
        ),
        filename="bad.xlsx",
        dry_run=True,
    )
    return measure, shropshire, good, bad


def _kpi_pages(measure, area, good, bad):
    return {
        "KPI catalogue": "/kpis/",
        "KPI catalogue, filtered": f"/kpis/?status=special&area={area.pk}&as_at=01/02/2024",
        "KPI catalogue, an error": "/kpis/?as_at=31/02/2024",
        "measure page": f"/kpis/measures/{measure.pk}/",
        "measure page, an area and a period": f"/kpis/measures/{measure.pk}/?area={area.pk}&period=2018-10",
        "measure page, an error": f"/kpis/measures/{measure.pk}/?period=nonsense",
        "performance summary": "/kpis/summary/",
        "performance summary, as at": "/kpis/summary/?period=2018/19-Q3&as_at=01/06/2024",
        "summary edit page": f"/kpis/summary/{measure.pk}/?period=2018/19-Q3",
        "KPI actions": "/kpis/actions/",
        "KPI actions, overdue": "/kpis/actions/?overdue=on&status=not_started",
        "KPI imports": "/kpis/imports/",
        "KPI import upload": "/kpis/imports/new/",
        "KPI import preview": f"/kpis/imports/{good.pk}/",
        "KPI import with errors": f"/kpis/imports/{bad.pk}/",
        "home with the KPI panel": "/",
        "activity page with linked measures": None,
    }


def test_axe_finds_no_serious_or_critical_problem_on_any_kpi_page_as_any_role(browser, live_server):
    users, _plan, activity = _data()
    measure, area, good, bad = _kpi_data(users, activity)
    pages = _kpi_pages(measure, area, good, bad)
    pages["activity page with linked measures"] = f"/activities/{activity.pk}/"
    report, failures, csp = _axe_every_page_as_every_role(browser, live_server, users, pages)
    checked = {(role, name) for role, name, result in report if not isinstance(result, str)}
    assert {name for _role, name in checked} == set(pages)
    refused = {(role, name): result for role, name, result in report if isinstance(result, str)}
    for role in ("Owner", "Chief Executive", "Viewer"):
        assert refused[(role, "summary edit page")] == "HTTP 403"
        assert refused[(role, "KPI import upload")] == "HTTP 403"
        assert refused[(role, "KPI import preview")] == "HTTP 403"
    assert ("Editor", "KPI import with errors") in checked
    assert failures == [], failures
    assert not csp, csp


def test_the_measure_page_draws_its_control_chart_and_its_table_matches(browser, live_server):
    users, _plan, activity = _data()
    measure, _area, _good, _bad = _kpi_data(users, activity)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in(page, live_server.url, users["Viewer"].username)
    page.goto(f"{live_server.url}/kpis/measures/{measure.pk}/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('kpi-chart'))")
    chart = page.evaluate(
        """() => { const c = Chart.getChart(document.getElementById('kpi-chart'));
        return {type: c.config.type, labels: c.data.labels,
                datasets: c.data.datasets.map(d => ({label: d.label, data: d.data,
                    pointStyle: d.pointStyle, pointRadius: d.pointRadius})),
                drawn: c.canvas.width > 0 && c.chartArea.bottom > c.chartArea.top}; }"""
    )
    assert chart["type"] == "line" and chart["drawn"]
    labels = [d["label"] for d in chart["datasets"]]
    assert labels[1:] == ["Mean", "Upper process limit", "Lower process limit", "Target"]
    values, mean, upper, lower, target = (d["data"] for d in chart["datasets"])
    assert len(values) == 21 and values[-1] == 150 and set(target) == {95}
    assert len(set(mean)) == 1 and lower[0] < mean[0] < upper[0] < 150
    # The special-cause point (150, above the upper limit) is marked by shape and size, not colour alone.
    styles, radii = chart["datasets"][0]["pointStyle"], chart["datasets"][0]["pointRadius"]
    assert styles[-1] == "triangle" and radii[-1] > radii[0] and styles[0] == "circle"
    # The table below has the same periods, values and special causes.
    rows = page.eval_on_selector_all(
        "[data-testid=chart-table] tbody tr",
        "rows => rows.map(r => [...r.querySelectorAll('th,td')].map(c => c.textContent.trim()))",
    )
    assert [r[0] for r in rows] == chart["labels"]
    assert [float(r[1].replace(",", "")) for r in rows] == values
    assert [r[6].startswith("Special cause") for r in rows] == [s == "triangle" for s in styles]
    assert rows[0][2] == f"{mean[0]:.1f}" and rows[0][5] == "95"
    assert not csp, csp
    context.close()


def test_axe_finds_no_serious_or_critical_problem_on_any_panel_report_page_as_any_role(browser, live_server):
    """Issue 14: the panel report pages (list, new, report with its sections, a section's form, the
    pack with its files, the pack library of every report) and the activity page with an update marked for the panel."""
    from delivery import services as delivery_services
    from panel import services as panel

    users, plan, activity = _data()
    editor = users["Editor"]
    activity.refresh_from_db()
    delivery_services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, text="For the panel.", for_panel=True
    )
    report = panel.report_create(
        by=editor, plan=plan, period_from=today() - timedelta(days=90), as_at=today(), meeting_on=today(),
        meeting_title="Police and Crime Panel",
    )  # fmt: skip
    pack = panel.pack_generate_now(by=editor, report=report)
    pages = {
        "panel reports": "/panel/",
        "new panel report": "/panel/new/",
        "panel report": f"/panel/{report.pk}/",
        "panel section form": f"/panel/sections/{report.sections.first().pk}/edit/",
        "panel pack": f"/panel/packs/{pack.pk}/",
        "panel pack library": "/panel/packs/",
        "activity page, an update for the panel": f"/activities/{activity.pk}/",
    }
    result, failures, csp = _axe_every_page_as_every_role(browser, live_server, users, pages)
    checked = {name for _role, name, r in result if not isinstance(r, str)}
    assert checked == set(pages)
    assert failures == [], failures
    assert not csp, csp


def test_axe_finds_no_serious_or_critical_problem_on_any_update_round_page_as_any_role(browser, live_server):
    """Issue 15: the update round pages (list, opening one, the round with its progress bar and review
    lists, an owner's request with the upload form, the return form) and the activity page showing a
    returned update's comment."""
    from delivery import services as delivery_services
    from rounds import services as rounds

    users, plan, activity = _data()
    editor = users["Editor"]
    other = make_activity(
        commitment=activity.commitment, owners=[OwnerFactory(name="CiP manager")], text="Commission advocacy"
    )
    rnd = rounds.round_open(
        by=editor, plan=plan, title="Q3 update", deadline=today() + timedelta(days=14), as_at=today(),
        message="Please say what any slippage means for the year-end dates.",
    )  # fmt: skip
    activity.refresh_from_db()
    delivery_services.activity_record_update(
        activity=activity, by=users["Owner"], seen_version=activity.version, text="Call-back live in two hubs."
    )
    delivery_services.activity_record_update(activity=other, by=editor, seen_version=other.version, text="Tender out.")
    returned = rnd.requests.get(owner__name="Supt Paley").items.get()
    rounds.round_item_return(by=editor, item=returned, comment="Please say when the third hub goes live.")
    submitted = rnd.requests.get(owner__name="CiP manager").items.get()
    pages = {
        "update rounds": "/rounds/",
        "open a round": f"/rounds/new/?plan={plan.pk}",
        "round page": f"/rounds/{rnd.pk}/",
        "round page, submitted only": f"/rounds/{rnd.pk}/?state=submitted",
        "owner's request": f"/rounds/requests/{returned.request_id}/",
        "return form": f"/rounds/items/{submitted.pk}/return/",
        "activity page, a returned update": f"/activities/{activity.pk}/",
    }
    result, failures, csp = _axe_every_page_as_every_role(browser, live_server, users, pages)
    checked = {name for _role, name, r in result if not isinstance(r, str)}
    assert checked == set(pages)
    assert failures == [], failures
    assert not csp, csp


def test_axe_finds_no_serious_or_critical_problem_on_the_api_pages_as_any_role(browser, live_server):
    """The API tokens page (with tokens listed, and just after making one, the secret shown once) and the
    API docs page, whose Swagger UI (drf-spectacular-sidecar, served from this site) must draw under the
    Content-Security-Policy."""
    from api import services as api_services

    users, _plan, _activity = _data()
    for user in users.values():
        api_services.token_create(by=user, name="Power BI performance dashboard")
    _report, failures, csp = _axe_every_page_as_every_role(
        browser, live_server, users, {"API tokens": "/account/api-tokens/"}
    )
    assert not failures, failures
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in(page, live_server.url, users["Viewer"].username)
    page.goto(f"{live_server.url}/account/api-tokens/")
    page.get_by_label("Name").fill("Excel workbook for the panel")
    page.get_by_label("Never").check()
    page.get_by_role("button", name="Create token").click()
    page.wait_for_load_state()
    secret = page.get_by_label("Your new token").input_value()
    assert len(secret) > 30
    bad = [v for v in _axe(page, live_server.url) if v["impact"] in ("serious", "critical")]
    assert not bad, bad
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector("#swagger-ui .opblock", timeout=15000)  # the operations are drawn
    assert page.locator("#swagger-ui").get_by_text("/api/v1/activities/", exact=True).count() >= 1
    context.close()
    assert not csp, csp


def test_axe_finds_no_serious_or_critical_problem_on_the_notification_pages_as_any_role(browser, live_server):
    users, _plan, _activity = _data()
    pages = {
        "notification settings": "/account/notifications/",
        "notification settings, an error": None,
        "what changed since you last looked": "/account/changes/",
        "what changed, page 2": "/account/changes/?page=2&per_page=1",
        "what changed, filtered": "/account/changes/?kind=activity&q=camera",
        "what changed, a filter refused": "/account/changes/?kind=everything",
    }
    pages.pop("notification settings, an error")  # the error state is checked in tests/notifications/test_views.py
    report, failures, _csp = _axe_every_page_as_every_role(browser, live_server, users, pages)
    checked = {(role, name) for role, name, result in report if not isinstance(result, str)}
    assert {name for _role, name in checked} == set(pages)
    assert failures == [], failures
