"""The activity list writes its rows itself (ActivityTable.rows_html) for speed; what it writes must be
what django-tables2's cell-by-cell route (core.tables.Table.rows_html) writes for the same rows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory

from core.dates import today
from core.tables import Table
from delivery import selectors
from delivery.models import Owner
from delivery.tables import ActivityTable
from tests.factories import CommitmentFactory, make_activity

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _rows(user, *, as_at=None):
    request = RequestFactory().get("/activities/")
    request.user = user
    table = ActivityTable(selectors.activity_rows(as_at=as_at, paged=True), user=user, as_at=as_at or today())
    table.request = request
    table.paginate(per_page=50)
    own = CSRF.sub("CSRF", ActivityTable.rows_html(table))
    cell_by_cell = CSRF.sub("CSRF", Table.rows_html(table))
    return own, cell_by_cell


def _activities(owner_user):
    mine = Owner.objects.create(name="Supt <Paley> & co", user=owner_user)
    commitment = CommitmentFactory(ref="A.1")
    make_activity(
        commitment=commitment,
        sub_ref="A1.2",
        text='Review "victims" <b>first</b>',
        owners=[mine],
        owner_text="Supt <Paley> & co",
        due_date=today() - timedelta(days=40),
        date_text="By Oct 22",
        rag="R",
        progress="x" * 200,
    )
    make_activity(commitment=commitment, text="No owner, no dates, no progress")  # empty cells show "—"
    make_activity(text="Someone else's", owners=[Owner.objects.create(name="CI Preece")], rag="G", status="complete")


def test_the_activity_lists_own_rows_are_what_django_tables2_writes_cell_by_cell(editor, owner_user, viewer):
    _activities(owner_user)
    for user in (editor, owner_user, viewer):
        own, cell_by_cell = _rows(user)
        assert own == cell_by_cell, user
    own, _ = _rows(editor)
    assert own.count('<form class="inline-rag"') == 3
    assert own.count("&lt;b&gt;first&lt;/b&gt;") == 1 and "<b>" not in own
    assert "Overdue 40 days" in own and "“" not in own
    assert _rows(owner_user)[0].count('<form class="inline-rag"') == 1  # only the one they own


def test_as_at_a_past_date_the_rows_match_too_and_offer_no_change(editor, owner_user):
    _activities(owner_user)
    own, cell_by_cell = _rows(editor, as_at=today() - timedelta(days=1))
    assert own == cell_by_cell
    assert "inline-rag" not in own


def test_an_empty_page_says_so_across_every_column(editor):
    own, cell_by_cell = _rows(editor)
    assert own == cell_by_cell
    assert "No activities match these filters." in own
