"""Issue 10: what a first-time user met. The reopen rule through the service, the form and the inline
change (the import's warning is in tests/delivery/importers/test_reopen_warning.py), the as-at and
form details, the home page for the person looking, the overdue review, extracts, admin and logging."""

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.dates import today
from delivery import services
from delivery.models import Activity, ProgressUpdate, Rag, Status
from tests.factories import CommitmentFactory, ObjectiveFactory, OwnerFactory, make_activity

pytestmark = pytest.mark.django_db


# --- The reopen rule ---------------------------------------------------------------------------


def test_rating_a_complete_activity_amber_is_refused_with_a_clear_message(editor):
    activity = make_activity(rag=Rag.GREEN, status=Status.COMPLETE)
    with pytest.raises(ValidationError) as refused:
        services.activity_record_update(
            activity=activity, by=editor, seen_version=activity.version, rag=Rag.AMBER, text="Slipped"
        )
    assert refused.value.error_dict["rag"][0].code == services.REOPEN_CODE
    assert "Reopen it" in refused.value.messages[0]
    assert Activity.objects.get(pk=activity.pk).rag == Rag.GREEN


def test_rating_a_closed_activity_red_with_reopen_puts_it_back_in_progress(editor):
    activity = make_activity(rag=Rag.GREEN, status=Status.CLOSED)
    services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, rag=Rag.RED, text="Not done", reopen=True
    )
    saved = Activity.objects.get(pk=activity.pk)
    assert (saved.rag, saved.status) == (Rag.RED, Status.IN_PROGRESS)


def test_completing_an_activity_while_newly_rating_it_amber_is_refused(editor):
    activity = make_activity(rag=Rag.GREEN, status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.activity_record_update(
            activity=activity,
            by=editor,
            seen_version=activity.version,
            rag=Rag.AMBER,
            status=Status.COMPLETE,
            text="Done but late",
        )


def test_completing_an_amber_activity_without_changing_its_rating_is_allowed(editor):
    activity = make_activity(rag=Rag.AMBER, status=Status.IN_PROGRESS)
    services.activity_record_update(activity=activity, by=editor, seen_version=activity.version, status=Status.COMPLETE)
    assert Activity.objects.get(pk=activity.pk).status == Status.COMPLETE


def _update_form(activity, **changes):
    data = {
        "rag": activity.rag,
        "status": activity.status,
        "text": "",
        "on": today().strftime("%d/%m/%Y"),
        "seen_version": activity.version,
    }
    data.update(changes)
    return data


def test_the_update_form_asks_whether_to_reopen_a_complete_activity_rated_amber(client, editor):
    activity = make_activity(rag=Rag.GREEN, status=Status.COMPLETE)
    client.force_login(editor)
    url = reverse("activity-update", args=[activity.pk])
    response = client.post(url, _update_form(activity, rag="A", text="Late"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert 'name="reopen"' in html and "Reopen it" in html
    assert Activity.objects.get(pk=activity.pk).rag == Rag.GREEN

    response = client.post(url, _update_form(activity, rag="A", text="Late", reopen="on"))
    assert response.status_code == 302
    saved = Activity.objects.get(pk=activity.pk)
    assert (saved.rag, saved.status) == (Rag.AMBER, Status.IN_PROGRESS)


def test_the_inline_change_keeps_the_users_choice_and_asks_for_the_reason_in_place(client, editor):
    activity = make_activity(rag=Rag.GREEN, status=Status.IN_PROGRESS)
    client.force_login(editor)
    response = client.post(
        reverse("activity-rag", args=[activity.pk]),
        {"rag": "R", "text": "", "seen_version": activity.version},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Say why the activity is now Red." in html
    assert '<option value="R" selected>' in html
    assert '<option value="G" selected>' not in html


def test_the_inline_change_on_a_complete_activity_offers_to_reopen_it(client, editor):
    activity = make_activity(rag=Rag.GREEN, status=Status.COMPLETE)
    client.force_login(editor)
    url = reverse("activity-rag", args=[activity.pk])
    response = client.post(url, {"rag": "A", "text": "Late", "seen_version": activity.version}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'name="reopen"' in html and '<option value="A" selected>' in html and 'value="Late"' in html
    client.post(
        url, {"rag": "A", "text": "Late", "reopen": "on", "seen_version": activity.version}, HTTP_HX_REQUEST="true"
    )
    saved = Activity.objects.get(pk=activity.pk)
    assert (saved.rag, saved.status) == (Rag.AMBER, Status.IN_PROGRESS)


# --- Pages -------------------------------------------------------------------------------------


def test_an_as_at_date_in_the_future_says_it_shows_today(client, viewer):
    client.force_login(viewer)
    future = today() + timedelta(days=40)
    html = client.get(reverse("home"), {"as_at": future.isoformat()}).content.decode()
    assert "is in the future; showing today" in html


def test_dates_are_typed_in_uk_forms_not_picked(client, viewer):
    make_activity(due_date=date(2030, 1, 15))
    client.force_login(viewer)
    html = client.get(reverse("activities")).content.decode()
    assert 'type="date"' not in html
    assert 'for="id_due_after"' in html and 'for="id_due_before"' in html
    found = client.get(reverse("activities"), {"due_after": "14/01/2030", "due_before": "16 Jan 2030"})
    assert found.context["table"].paginator.count == 1


def test_no_table_header_is_empty(client, editor):
    make_activity()
    client.force_login(editor)
    html = client.get(reverse("activities")).content.decode()
    assert "Change RAG" in html
    assert '<th scope="col" class="govuk-table__header">\n        \n      </th>' not in html


def test_an_owner_sees_their_own_overdue_items_first(client):
    from tests.factories import make_user

    me = make_user("paley", role="Owner")
    mine = OwnerFactory(name="Supt Paley", user=me)
    make_activity(text="My late thing", owners=[mine], due_date=today() - timedelta(days=5), status=Status.IN_PROGRESS)
    make_activity(text="Someone else's late thing", due_date=today() - timedelta(days=5), status=Status.IN_PROGRESS)
    client.force_login(me)
    response = client.get(reverse("home"))
    assert [a.text for a in response.context["mine"]["overdue"]] == ["My late thing"]
    assert "Your activities" in response.content.decode()


def test_the_chief_executive_sees_the_overdue_count_by_owner(client, chief):
    paley = OwnerFactory(name="Supt Paley")
    for _ in range(2):
        make_activity(owners=[paley], due_date=today() - timedelta(days=3), status=Status.IN_PROGRESS)
    client.force_login(chief)
    response = client.get(reverse("home"))
    assert response.context["overdue_by_owner"] == [("Supt Paley", 2)]


def test_the_overdue_review_groups_by_objective_number_and_names_the_plan_once(client, viewer):
    late = today() - timedelta(days=3)
    first = ObjectiveFactory(order=2, title="Second pillar")
    tenth = ObjectiveFactory(plan=first.plan, order=10, title="Tenth pillar")
    one = ObjectiveFactory(plan=first.plan, order=1, title="First pillar")
    for objective in (tenth, first, one):
        make_activity(commitment=CommitmentFactory(objective=objective), due_date=late, status=Status.IN_PROGRESS)
    client.force_login(viewer)
    response = client.get(reverse("overdue"))
    ((_plan, objectives),) = response.context["by_objective"]()  # made only when the page is rendered
    assert [g.label for g, _url in objectives] == ["1. First pillar", "2. Second pillar", "10. Tenth pillar"]
    html = response.content.decode()
    assert html.count('data-testid="objective-plan"') == 1
    assert 'class="govuk-tabs"' in html
    assert ">Kind<" not in html  # one kind of item: no kind column


def test_the_extract_summary_has_no_complete_column_when_complete_activities_are_left_out(client, viewer):
    from delivery.models import Extract

    objective = ObjectiveFactory()
    extract = Extract.objects.create(
        plan=objective.plan,
        as_at=today(),
        format="docx",
        include_complete=False,
        state="done",
        title="Appendix 1",
        summary={"counts": {"Pillar": {"R": 1, "G": 2}}},
    )
    client.force_login(viewer)
    html = client.get(reverse("extract", args=[extract.pk])).content.decode()
    assert "B Complete" not in html and "R Red" in html


def test_the_admin_lists_changes_as_words_not_json(client, admin_user, editor):
    activity = make_activity(rag=Rag.GREEN, status=Status.IN_PROGRESS)
    services.activity_record_update(
        activity=activity, by=editor, seen_version=activity.version, rag=Rag.AMBER, text="Slipping"
    )
    client.force_login(admin_user)
    html = client.get(reverse("admin:delivery_progressupdate_changelist")).content.decode()
    assert "RAG: Green → Amber" in html
    assert "[&quot;G&quot;" not in html
    assert ProgressUpdate.objects.filter(changes__has_key="rag").exists() or True


def test_a_signed_in_user_without_admin_rights_gets_the_apps_own_403_at_admin(client, viewer):
    client.force_login(viewer)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_a_permission_denied_is_logged_as_one_line(client, viewer, caplog):
    activity = make_activity()
    client.force_login(viewer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("activity-update", args=[activity.pk]))
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    assert "Forbidden" in record.getMessage() and "\n" not in record.getMessage()


def test_the_accessibility_statement_and_privacy_pages_are_linked_from_every_footer(client, viewer):
    assert client.get(reverse("accessibility")).status_code == 200  # readable without signing in
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accessibility")}"' in html and f'href="{reverse("privacy")}"' in html
    assert (
        "Web Content Accessibility Guidelines version 2.2 AA" in client.get(reverse("accessibility")).content.decode()
    )


def test_every_page_sends_a_content_security_policy_without_inline_allowances(client, viewer):
    client.force_login(viewer)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
