"""A holding-to-account journey in a real browser: an editor records a thematic meeting with two
findings and an action; after the action's due date it is in the Chief Executive's overdue review."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core.dates import today
from meetings.models import Meeting
from tests.browser.test_journeys import sign_in
from tests.factories import OwnerFactory, make_activity, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_an_editor_records_a_thematic_meeting_and_its_action_reaches_the_chief_executives_review(page, live_server):
    make_user("jo", role="Editor", first_name="Jo", last_name="Hadley")
    make_user("priya", role="Chief Executive")
    OwnerFactory(name="DCI Hart")
    # An overdue activity too: beside it, the review names each item's kind (it hides a Kind column of one kind).
    make_activity(text="Roll out body-worn video", due_date=today() - timedelta(days=5))
    held = today() - timedelta(days=20)
    due = today() + timedelta(days=7)

    sign_in(page, live_server, "jo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_role("group", name="Type").get_by_label("Thematic").check()
    page.get_by_label("Date").fill(held.isoformat())
    page.get_by_label("Subject area").fill("Investigations and Outcome 16")
    page.get_by_label("Notes").fill("<p>The Commissioner asked about Outcome 16.</p>")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("Draft – seen only by editors")).to_be_visible()

    page.get_by_role("link", name="Edit findings").click()
    page.locator("#id_findings-0-text").fill("Outcome 16 is falling across the force.")
    page.locator("#id_findings-0-for_panel").check()
    page.locator("#id_findings-1-text").fill("An audit of decisions is under way.")
    page.get_by_role("button", name="Save findings").click()
    expect(page.get_by_text("Findings saved.")).to_be_visible()
    expect(page.locator(".findings li")).to_have_count(2)

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Share the Outcome 16 audit with the OPCC")
    page.get_by_label("Owner/s").select_option(label="DCI Hart")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("link", name="Share the Outcome 16 audit with the OPCC")).to_be_visible()
    page.get_by_role("button", name="Approve the notes").click()
    expect(page.get_by_text("The meeting is now approved.")).to_be_visible()
    assert Meeting.objects.get().state == Meeting.State.APPROVED

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "priya")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Overdue review").click()
    expect(page.get_by_text("Share the Outcome 16 audit with the OPCC")).to_have_count(0)  # not yet due

    page.get_by_label("As at").fill((due + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Show").click()
    row = page.get_by_role("row").filter(has_text="Share the Outcome 16 audit with the OPCC")
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name="Share the Outcome 16 audit with the OPCC")).to_have_attribute(
        "href", re.compile(r"^/meetings/actions/\d+/$")
    )  # the meeting action itself (the kind column shows only when several kinds are overdue)
    expect(row).to_contain_text("DCI Hart")
    expect(row.get_by_role("cell", name="1", exact=True).first).to_be_visible()  # one day overdue
