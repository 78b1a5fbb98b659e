"""Delivery's plug points: panels on home and activity pages, demo steps and navigation links that
other apps register without delivery importing them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import nav
from delivery import demo, panels
from tests.factories import PASSWORD, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_on_activity_pages():
    def context(request, activity):
        return {"text": f"Two meetings discussed {activity.full_ref}"} if activity.sub_ref != "hidden" else None

    panels.register("activity", "core/_test_panel.html", context)
    yield
    panels.unregister("activity", "core/_test_panel.html")


def test_a_registered_panel_shows_on_the_activity_page_when_it_has_something(
    client, viewer, panel_on_activity_pages, settings, tmp_path
):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "_test_panel.html").write_text('<section class="panel">{{ panel.text }}</section>')
    # Assigned, not mutated in place, so Django resets its template engines (order-independent).
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    shown = make_activity(sub_ref="1.1.1")
    hidden = make_activity(sub_ref="hidden")
    assert client.login(username=viewer.username, password=PASSWORD)
    assert "Two meetings discussed 1.1.1" in client.get(reverse("activity", args=[shown.pk])).content.decode()
    assert 'class="panel"' not in client.get(reverse("activity", args=[hidden.pk])).content.decode()


def test_registered_demo_steps_run_after_the_plan_each_time_seed_demo_runs():
    calls = []

    def step(*, plan, today):
        calls.append(plan.name)

    demo.register_demo_step(step)
    try:
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo", verbosity=0)
    finally:
        demo.unregister_demo_step(step)
    assert len(calls) == 2 and calls[0] == calls[1]


def test_registered_nav_links_show_to_the_users_they_are_for(client, viewer, editor):
    nav.register("Editors only", "imports", order=99, can_see=lambda user: user.username == editor.username)
    try:
        assert client.login(username=viewer.username, password=PASSWORD)
        assert "Editors only" not in client.get(reverse("home")).content.decode()
        assert client.login(username=editor.username, password=PASSWORD)
        assert "Editors only" in client.get(reverse("home")).content.decode()
    finally:
        nav.unregister("imports")
