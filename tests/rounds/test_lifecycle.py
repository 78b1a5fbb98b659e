"""The round's lifecycle through the pages: open -> emails (links, workbook) -> the owner updates ->
submitted -> returned with a comment -> updated again -> approved -> closed -> Appendix 1's as-at."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.dates import today
from core.models import AuditEntry
from rounds import services
from rounds.models import RoundItem, RoundRequest, UpdateRound
from tests.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def update_through_form(client, activity, text: str, rag: str = "A"):
    url = reverse("activity-update", args=[activity.pk])
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "rag": rag,
            "status": "in_progress",
            "text": text,
            "on": today().isoformat(),
            "owners": [o.pk for o in activity.owners.all()],
            "seen_version": form.initial["seen_version"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_round_lifecycle(client, editor, owner_user, round_plan, django_capture_on_commit_callbacks, eager_tasks):
    plan, acts = round_plan
    login(client, editor)
    as_at = today() - timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rounds:new"),
            {
                "plan": plan.pk,
                "title": "Q3 2025/26 delivery plan update",
                "deadline": (today() + timedelta(days=14)).strftime("%d/%m/%Y"),
                "as_at": as_at.strftime("%d/%m/%Y"),
                "message": "Please say what any slippage means for the year-end dates.",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    rnd = UpdateRound.objects.get()
    # One request per owner of an open activity; the complete activity is left out.
    assert sorted(rnd.requests.values_list("owner__name", flat=True)) == [
        "CiP manager",
        "Digital Services",
        "Supt Paley",
    ]
    assert not RoundItem.objects.filter(activity=acts["done"]).exists()
    # Emails to the two owners with a login, none to the CiP manager (no login).
    assert sorted(m.to[0] for m in mail.outbox) == ["digital@example.org", "owner@example.org"]
    paley_mail = next(m for m in mail.outbox if m.to == ["owner@example.org"])
    for a in (acts["a1"], acts["a2"]):
        assert reverse("activity-update", args=[a.pk]) in paley_mail.body
        assert reverse("activity-update", args=[a.pk]) in paley_mail.alternatives[0][0]
    assert reverse("activity-update", args=[acts["a3"].pk]) not in paley_mail.body
    ((name, data, mimetype),) = paley_mail.attachments
    assert name.endswith(".xlsx") and "spreadsheetml" in mimetype
    ws = openpyxl.load_workbook(BytesIO(data))["Activities"]
    texts = {row[9] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert texts == {acts["a1"].text, acts["a2"].text}
    assert ws.protection.sheet and any(dv.type == "list" for dv in ws.data_validations.dataValidation)
    page = client.get(rnd.get_absolute_url()).content.decode()
    assert "No login – send by hand" in page and "0 of 3 updated" in page

    # The owner updates through the form: the item is submitted.
    client.logout()
    login(client, owner_user)
    update_through_form(client, acts["a1"], "Audit of 40 victim files complete; compliance at 86%.", rag="G")
    item = RoundItem.objects.get(request__owner__name="Supt Paley", activity=acts["a1"])
    assert item.state == RoundItem.State.SUBMITTED and item.update.text.startswith("Audit of 40")
    # An owner can neither return nor approve.
    assert client.post(reverse("rounds:item-approve", args=[item.pk])).status_code == 403
    assert client.post(reverse("rounds:item-return", args=[item.pk]), {"comment": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.round_item_approve(by=owner_user, item=item)

    # The editor returns it with a comment: the owner is emailed and sees it on the activity page.
    client.logout()
    login(client, editor)
    mail.outbox.clear()
    comment = "Please say what the slippage means for the June date."
    assert client.post(reverse("rounds:item-return", args=[item.pk]), {"comment": comment}).status_code == 302
    item.refresh_from_db()
    assert item.state == RoundItem.State.RETURNED and item.comment == comment and item.reviewed_by == editor
    assert [m.to for m in mail.outbox] == [["owner@example.org"]] and comment in mail.outbox[0].body
    returned = AuditEntry.objects.filter(model_label="rounds.rounditem", object_id=str(item.pk), action="update")
    assert any(e.actor_id == editor.pk and e.changes.get("comment", [None, None])[1] == comment for e in returned)
    client.logout()
    login(client, owner_user)
    assert comment in client.get(acts["a1"].get_absolute_url()).content.decode()
    assert comment in client.get(item.request.get_absolute_url()).content.decode()

    # The owner updates again: submitted again; the editor approves.
    update_through_form(client, acts["a1"], "Compliance at 86%; the June date holds.", rag="G")
    item.refresh_from_db()
    assert item.state == RoundItem.State.SUBMITTED and item.update.text.endswith("the June date holds.")
    client.logout()
    login(client, editor)
    assert client.post(reverse("rounds:item-approve", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.state == RoundItem.State.APPROVED

    # Closing: an unreviewed submission stops it unless a reason is given.
    update_through_form(client, acts["a3"], "Supplier chosen; migration plan agreed.")
    client.post(reverse("rounds:close", args=[rnd.pk]), {"reason": ""})
    rnd.refresh_from_db()
    assert rnd.is_open
    with pytest.raises(ValidationError, match="1 submitted update is not reviewed"):
        services.round_close(by=editor, rnd=rnd)
    # Before closing, Appendix 1 defaults to today.
    assert client.get(reverse("extract-new"), {"plan": plan.pk}).context["form"].initial["as_at"] == today()
    client.post(reverse("rounds:close", args=[rnd.pk]), {"reason": "Panel papers go out tomorrow."})
    rnd.refresh_from_db()
    assert not rnd.is_open and rnd.closed_by == editor and rnd.close_note == "Panel papers go out tomorrow."
    assert client.get(reverse("extract-new"), {"plan": plan.pk}).context["form"].initial["as_at"] == as_at
    page = client.get(rnd.get_absolute_url()).content.decode()
    assert "2 of 3 updated" in page


def test_a_round_needs_an_owner_in_scope_and_a_future_deadline(editor, round_plan):
    plan, acts = round_plan
    with pytest.raises(ValidationError, match="deadline cannot be in the past"):
        services.round_open(by=editor, plan=plan, title="Q3", deadline=today() - timedelta(days=1), as_at=today())
    acts["a1"].owners.clear()
    acts["a2"].owners.clear()
    acts["a3"].owners.clear()
    with pytest.raises(ValidationError, match="nobody to ask"):
        services.round_open(by=editor, plan=plan, title="Q3", deadline=today(), as_at=today())
    assert not UpdateRound.objects.exists()


def test_only_editors_open_rounds(owner_user, round_plan):
    plan, _ = round_plan
    with pytest.raises(PermissionDenied):
        services.round_open(by=owner_user, plan=plan, title="Q3", deadline=today(), as_at=today())


def test_a_round_scoped_to_an_objective_asks_only_its_owners(editor, round_plan):
    plan, _acts = round_plan
    victims = plan.objectives.get(order=1)
    rnd = services.round_open(
        by=editor, plan=plan, title="Victims", deadline=today(), as_at=today(), objectives=[victims]
    )
    assert set(RoundRequest.objects.filter(round=rnd).values_list("owner__name", flat=True)) == {
        "Supt Paley",
        "CiP manager",
    }


def test_returning_needs_a_comment(editor, open_round):
    _rnd, acts = open_round
    item = RoundItem.objects.get(activity=acts["a3"])
    with pytest.raises(ValidationError, match="Only a submitted update"):
        services.round_item_return(by=editor, item=item, comment="More detail please.")
    RoundItem.objects.filter(pk=item.pk).update(state=RoundItem.State.SUBMITTED)
    with pytest.raises(ValidationError, match="Say what the owner"):
        services.round_item_return(by=editor, item=item, comment="  ")


def test_the_round_page_makes_the_same_number_of_queries_for_more_owners(client, editor, round_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OwnerFactory, make_activity

    plan, acts = round_plan
    rnd = services.round_open(by=editor, plan=plan, title="Small", deadline=today(), as_at=today())
    login(client, editor)
    client.get(rnd.get_absolute_url())  # the first request also keeps the login's role in the cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(rnd.get_absolute_url()).status_code == 200
    c = acts["a1"].commitment
    for i in range(15):
        make_activity(commitment=c, owners=[OwnerFactory(name=f"Ch Insp {i}")], text=f"Activity {i}")
    big = services.round_open(by=editor, plan=plan, title="Big", deadline=today(), as_at=today())
    with CaptureQueriesContext(connection) as large:
        assert client.get(big.get_absolute_url()).status_code == 200
    assert len(large) == len(small)


def test_requests_are_emailed_only_once_the_round_has_committed(editor, round_plan, django_capture_on_commit_callbacks):
    plan, _acts = round_plan
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rnd = services.round_open(by=editor, plan=plan, title="Q3", deadline=today(), as_at=today())
    # Nothing was sent inside the transaction: had it rolled back, nobody would have been asked.
    assert mail.outbox == [] and len(callbacks) == 1
    assert not rnd.requests.filter(sent_at__isnull=False).exists()


def test_sending_the_requests_again_sends_nothing_more(
    editor, round_plan, django_capture_on_commit_callbacks, eager_tasks
):
    plan, _acts = round_plan
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rnd = services.round_open(by=editor, plan=plan, title="Q3", deadline=today(), as_at=today())
    assert sorted(m.to[0] for m in mail.outbox) == ["digital@example.org", "owner@example.org"]
    assert rnd.requests.filter(sent_at__isnull=False).count() == 2
    assert services.round_send_requests(round_id=rnd.pk) == 0
    assert len(mail.outbox) == 2
    # A closed (or missing) round sends nothing.
    assert services.round_send_requests(round_id=rnd.pk + 1000) == 0
