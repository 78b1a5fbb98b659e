"""axe-core (npm, vendored in static/vendor/axe-core) on every page type as every role, failing on any
serious or critical violation; no Content-Security-Policy violation on any of them; and a keyboard-only
journey that records an update and lands on the focused success banner."""

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
        "extracts": "/extracts/",
        "new extract": f"/extracts/new/?plan={plan.pk}",
        "imports": "/imports/",
        "import upload": "/imports/new/",
        "accessibility": "/accessibility/",
        "privacy": "/privacy/",
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


def test_axe_finds_no_serious_or_critical_problem_on_any_page_as_any_role(browser, live_server):
    users, plan, activity = _data()
    report, failures, csp = [], [], []
    for role, user in users.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
        _sign_in(page, live_server.url, user.username)
        for name, path in _pages(plan, activity).items():
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
    assert not failures, failures
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


def test_a_keyboard_only_user_records_an_update_and_lands_on_the_success_banner(browser, live_server):
    users, _plan, activity = _data()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, live_server.url, users["Owner"].username)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")

    def tab_to(predicate_js, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate_js):
                return
        raise AssertionError(f"never reached {predicate_js}")

    tab_to("() => document.activeElement.textContent.trim() === 'Record an update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Tab reaches the RAG radios at the checked one (G Green); the up arrow chooses A Amber.
    tab_to("() => document.activeElement.name === 'rag'")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.id") == "id_rag_1"
    # Without a reason: the error summary takes focus and the title says "Error:".
    tab_to("() => document.activeElement.textContent.trim() === 'Save update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    page.wait_for_function("() => document.activeElement.classList.contains('govuk-error-summary')")
    tab_to("() => document.activeElement.id === 'id_text'")
    page.keyboard.type("Supplier slipped; new go-live agreed.")
    tab_to("() => document.activeElement.textContent.trim() === 'Save update'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.dataset.testid === 'success-banner'")
    assert "Update saved." in page.evaluate("() => document.activeElement.textContent")
    context.close()
