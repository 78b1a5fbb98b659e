"""The meetings list keeps its rendered table in the cache: never shown to someone who may not see it, and
never staler than the meetings."""

from django.urls import reverse

from meetings import badges, services
from meetings.models import Meeting
from tests.factories import system_user

from .conftest import make_action, make_meeting


def test_a_viewer_never_gets_the_table_an_editor_saw_with_its_drafts(client, editor, viewer):
    make_meeting(state=Meeting.State.DRAFT, subject_area="Secret draft subject")
    make_meeting(subject_area="Approved subject")
    client.force_login(editor)
    assert "Secret draft subject" in client.get(reverse("meetings:list")).content.decode()
    client.force_login(viewer)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Approved subject" in page and "Secret draft subject" not in page


def test_the_list_shows_new_meetings_and_changes_at_once(client, viewer):
    meeting = make_meeting(subject_area="First subject", findings=[("One finding", False)])
    client.force_login(viewer)
    first = client.get(reverse("meetings:list")).content.decode()
    assert "Second subject" not in first and str(badges.meeting_state(Meeting.State.PUBLISHED)) not in first
    make_meeting(subject_area="Second subject")
    make_action(meeting=meeting, text="A new action")
    services.meeting_set_state(by=system_user(), meeting=meeting, state=Meeting.State.PUBLISHED, on=meeting.held_on)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Second subject" in page
    assert str(badges.meeting_state(Meeting.State.PUBLISHED)) in page  # a change in place, no new row


def test_a_list_already_rendered_is_answered_without_counting_or_reading_the_meetings(
    client, viewer, django_assert_max_num_queries
):
    make_meeting(subject_area="Kept subject")
    client.force_login(viewer)
    first = client.get(reverse("meetings:list") + "?subject=Kept").content.decode()
    with django_assert_max_num_queries(2):  # the signed-in user, the fingerprints: no count, no rows
        again = client.get(reverse("meetings:list") + "?subject=Kept").content.decode()
    assert 'data-testid="meeting-count">1<' in again and "Kept subject" in again
    assert again.count("Filter meetings") == first.count("Filter meetings") == 1
    make_meeting(subject_area="Kept subject too")
    assert 'data-testid="meeting-count">2<' in client.get(reverse("meetings:list") + "?subject=Kept").content.decode()
