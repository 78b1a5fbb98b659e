"""The meetings pages to the standard of issue 10: GOV.UK components, labelled typed dates, error summaries
that say where, status tags with words, no inline style or script, and the links in the main navigation.
(axe-core and the keyboard journeys run in a real browser: tests/browser/test_accessibility.py.)"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.dates import today
from meetings import services
from meetings.models import Meeting
from tests.factories import CommitmentFactory, make_activity
from tests.meetings.conftest import make_action, make_meeting

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "meetings"


def test_no_meetings_template_has_an_inline_style_or_script():
    found = []
    for path in sorted(TEMPLATES.glob("*.html")):
        text = path.read_text()
        if re.search(r"\sstyle\s*=", text):
            found.append((path.name, "style="))
        for tag in re.findall(r"<script\b[^>]*>", text):
            if 'type="application/json"' not in tag:
                found.append((path.name, tag))
        if re.search(r"\son[a-z]+\s*=", text):
            found.append((path.name, "on... handler"))
    assert len(list(TEMPLATES.glob("*.html"))) >= 15
    assert found == []


def test_the_meetings_links_are_in_the_main_navigation_with_the_current_page_marked(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("meetings:actions")).content.decode()
    nav = html.split('<nav aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    for label, url in (
        ("Meetings", "/meetings/"),
        ("Meeting actions", "/meetings/actions/"),
        ("Written requests", "/meetings/requests/"),
    ):
        assert re.search(rf'href="{url}"( aria-current="page")?>{label}</a>', nav), label
    assert 'href="/meetings/actions/" aria-current="page">Meeting actions<' in nav
    assert 'href="/meetings/" aria-current="page"' not in nav


@pytest.mark.parametrize(
    ("name", "boxes"),
    [("meetings:list", ("held_after", "held_before")), ("meetings:requests", ("sent_after", "sent_before"))],
)
def test_list_filters_take_dates_typed_in_two_labelled_boxes_not_a_picker(client, viewer, name, boxes):
    client.force_login(viewer)
    html = client.get(reverse(name)).content.decode()
    assert 'type="date"' not in html
    for box in boxes:
        assert f'<label class="govuk-label govuk-label--s" for="id_{box}">' in html
        assert f'aria-describedby="id_{box}-hint"' in html


def test_meetings_are_filtered_by_dates_typed_the_uk_way(client, viewer, editor):
    make_meeting(held_on=date(2025, 3, 11), subject_area="In March")
    make_meeting(held_on=date(2025, 5, 2), subject_area="In May")
    services.request_create(by=editor, subject="Sent in March", question="Q", sent_on=date(2025, 3, 3))
    services.request_create(by=editor, subject="Sent in June", question="Q", sent_on=date(2025, 6, 3))
    client.force_login(viewer)
    found = client.get(reverse("meetings:list"), {"held_after": "01/03/2025", "held_before": "31 Mar 2025"})
    assert [m.subject_area for m in found.context["table"].data] == ["In March"]
    found = client.get(reverse("meetings:requests"), {"sent_after": "1/6/25"})
    assert [r.subject for r in found.context["table"].data] == ["Sent in June"]


def test_the_meeting_form_offers_the_type_as_radios_and_the_date_as_a_typed_box(client, editor):
    client.force_login(editor)
    html = client.get(reverse("meetings:new")).content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Type</legend>' in html
    assert 'class="govuk-radios govuk-radios--inline"' in html and 'value="thematic"' in html
    assert 'id="id_held_on-hint">For example, 31/12/2023' in html and 'type="date"' not in html


def test_a_meeting_form_with_errors_is_titled_error_and_summarised_with_links_to_the_boxes(client, editor):
    client.force_login(editor)
    response = client.post(reverse("meetings:new"), {"held_on": "31/02/2025", "subject_area": ""})
    html = response.content.decode()
    assert response.status_code == 200 and Meeting.objects.count() == 0
    assert re.search(r"<title>Error: Record a meeting", html)
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_kind_0"' in summary  # a radio group links to its first radio
    assert 'href="#id_held_on">Date: Enter a real date' in summary
    assert 'href="#id_subject_area"' in summary
    assert 'class="govuk-input govuk-input--error govuk-input--width-10"' in html and 'value="31/02/2025"' in html


def test_an_agenda_item_linked_to_a_commitment_but_untitled_is_refused_in_its_place(client, editor):
    meeting = make_meeting()
    commitment = CommitmentFactory(ref="2.1")
    client.force_login(editor)
    data = {
        "agenda-TOTAL_FORMS": 2,
        "agenda-INITIAL_FORMS": 0,
        "agenda-0-title": "Neighbourhood teams",
        "agenda-1-title": "",
        "agenda-1-commitment": commitment.pk,
    }
    response = client.post(reverse("meetings:agenda", args=[meeting.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and meeting.agenda_items.count() == 0  # nothing half-saved
    assert re.search(r"<title>Error: Agenda", html)
    assert 'href="#id_agenda-1-title">Item 2, agenda item: Give the agenda item a title' in html
    assert 'id="id_agenda-1-title-error"' in html


def test_an_agenda_item_whose_activity_is_under_another_commitment_is_refused_at_the_activity(client, editor):
    meeting = make_meeting()
    activity = make_activity(sub_ref="1.1.1")
    other = CommitmentFactory(ref="3.10")
    client.force_login(editor)
    data = {
        "agenda-TOTAL_FORMS": 1,
        "agenda-INITIAL_FORMS": 0,
        "agenda-0-title": "Call-backs",
        "agenda-0-commitment": other.pk,
        "agenda-0-activity": activity.pk,
    }
    html = client.post(reverse("meetings:agenda", args=[meeting.pk]), data).content.decode()
    assert 'href="#id_agenda-0-activity">Item 1, activity: The activity is not under the commitment chosen' in html
    assert meeting.agenda_items.count() == 0


def test_the_findings_form_puts_each_finding_in_its_own_labelled_group(client, editor):
    meeting = make_meeting(findings=[("Outcome 16 is falling", True)])
    client.force_login(editor)
    html = client.get(reverse("meetings:findings", args=[meeting.pk])).content.decode()
    assert html.count('<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Finding ') == 4
    assert 'for="id_findings-0-for_panel">For the panel report</label>' in html
    assert 'id="id_findings-0-for_panel" checked' in html


def test_statuses_are_tags_with_their_words_on_every_list(client, editor):
    draft = make_meeting(state=Meeting.State.DRAFT, subject_area="A draft")
    make_meeting(state=Meeting.State.PUBLISHED, subject_area="Published one")
    make_action(meeting=draft, text="Late action", due_date=today() - timedelta(days=3))
    services.request_create(by=editor, subject="Late request", question="Q", sent_on=today() - timedelta(days=60))
    client.force_login(editor)
    meetings = client.get(reverse("meetings:list")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--yellow">Draft</strong>' in meetings
    assert '<strong class="govuk-tag govuk-tag--green">Published</strong>' in meetings
    actions = client.get(reverse("meetings:actions")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--blue">Open</strong>' in actions
    assert '<strong class="govuk-tag govuk-tag--red">Overdue by 3 days</strong>' in actions
    requests = client.get(reverse("meetings:requests")).content.decode()
    assert re.search(r'<strong class="govuk-tag govuk-tag--red">Overdue by \d+ days</strong>', requests)
    page = client.get(reverse("meetings:detail", args=[draft.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--yellow">Draft – seen only by editors</strong>' in page


def test_every_meetings_table_scrolls_in_its_own_named_box_with_govuk_cells(client, editor):
    meeting = make_meeting()
    make_action(meeting=meeting, text="An action")
    client.force_login(editor)
    for url, region in (
        (reverse("meetings:list"), "Meetings"),
        (reverse("meetings:actions"), "Meeting actions"),
        (reverse("meetings:requests"), "Written requests"),
        (reverse("meetings:detail", args=[meeting.pk]), "Actions from this meeting"),
        (reverse("meetings:panel-report") + "?start=2025-01-01&end=2025-12-31", "Meetings held"),
    ):
        html = client.get(url).content.decode()
        assert f'class="app-table-scroll" tabindex="0" role="region" aria-label="{region} (scrolls sideways)"' in html
        assert '<table class="govuk-table' in html and 'class="govuk-table__header' in html, url
        assert '<th scope="col" class="govuk-table__header">\n        \n      </th>' not in html, url


def test_the_action_log_names_the_inline_change_column_and_labels_each_control(client, editor):
    action = make_action()
    client.force_login(editor)
    html = client.get(reverse("meetings:actions")).content.decode()
    assert "Change status" in html
    assert f'<label for="status-{action.pk}" class="govuk-visually-hidden">Status of {action.ref}</label>' in html
    assert f'id="status-save-{action.pk}"' in html  # htmx gives focus back to it after the swap


def test_a_stale_inline_status_change_says_so_in_place(client, editor):
    action = make_action()
    client.force_login(editor)
    response = client.post(
        reverse("meetings:action-status", args=[action.pk]),
        {"status": "complete", "seen_version": action.version - 1},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'class="govuk-error-message"' in html and "Someone else changed this action" in html
    assert f'aria-describedby="status-{action.pk}-error"' in html


def test_notes_are_published_on_a_typed_uk_date(client, editor):
    meeting = make_meeting(held_on=date(2025, 3, 11))
    client.force_login(editor)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'value="{today():%d/%m/%Y}"' in html and 'type="date"' not in html
    client.post(reverse("meetings:state", args=[meeting.pk]), {"state": "published", "on": "15 April 2025"})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PUBLISHED and meeting.published_on == date(2025, 4, 15)


def test_a_publication_date_that_is_not_a_real_date_is_named_as_the_problem(client, editor):
    meeting = make_meeting()
    client.force_login(editor)
    response = client.post(
        reverse("meetings:state", args=[meeting.pk]), {"state": "published", "on": "31/02/2025"}, follow=True
    )
    assert "Publication date: Enter a real date, for example 31/12/2023." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.APPROVED


def test_the_activity_page_panel_lists_meetings_and_actions_with_status_tags(client, viewer):
    activity = make_activity(sub_ref="2.1.3")
    meeting = make_meeting(subject_area="Approved subject")
    make_action(meeting=meeting, text="Linked action", activity=activity, due_date=today() - timedelta(days=1))
    client.force_login(viewer)
    html = client.get(reverse("activity", args=[activity.pk])).content.decode()
    panel = html.split('data-testid="meetings-panel"', 1)[1].split("</section>", 1)[0]
    assert '<h2 class="govuk-heading-m" id="meetings-panel">Holding to account</h2>' in panel
    assert "Linked action" in panel and 'govuk-tag--blue">Open<' in panel and 'govuk-tag--red">Overdue<' in panel
