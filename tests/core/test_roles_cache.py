"""A user's role is kept in the cache between requests, and every change of their groups shows at once."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role, role_of
from delivery import services
from tests.factories import make_user, system_user

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads them."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_role_is_read_from_the_cache_on_the_next_request():
    user = make_user("cached-viewer", role="Viewer")
    assert role_of(fresh(user)) == Role.VIEWER
    again = fresh(user)
    with CaptureQueriesContext(connection) as ctx:
        assert role_of(again) == Role.VIEWER
    assert len(ctx) == 0


def test_a_changed_role_shows_on_the_next_request():
    user = make_user("promoted", role="Viewer")
    assert role_of(fresh(user)) == Role.VIEWER
    services.user_set_role(by=system_user(), user=fresh(user), role=Role.EDITOR)
    assert role_of(fresh(user)) == Role.EDITOR


def test_a_role_taken_away_from_either_side_shows_on_the_next_request():
    one, two, three = (make_user(name, role="Editor") for name in ("one", "two", "three"))
    for user in (one, two, three):
        assert role_of(fresh(user)) == Role.EDITOR
    editors = Group.objects.get(name="Editor")
    fresh(one).groups.clear()
    editors.user_set.remove(two)
    assert role_of(fresh(one)) is None
    assert role_of(fresh(two)) is None
    assert role_of(fresh(three)) == Role.EDITOR
    editors.user_set.clear()
    assert role_of(fresh(three)) is None


def test_a_group_renamed_or_deleted_changes_its_members_roles():
    user = make_user("member", role="Chief Executive")
    assert role_of(fresh(user)) == Role.CHIEF_EXECUTIVE
    group = Group.objects.get(name="Chief Executive")
    group.name = "Chief Executive (until 2025)"
    group.save()
    assert role_of(fresh(user)) is None
    group.name = "Chief Executive"
    group.save()
    assert role_of(fresh(user)) == Role.CHIEF_EXECUTIVE
    group.delete()
    assert role_of(fresh(user)) is None


def test_a_roleless_login_is_refused_after_its_role_is_taken_away(client):
    user = make_user("leaver", role="Viewer")
    client.force_login(user)
    assert client.get("/overdue/").status_code == 200
    fresh(user).groups.clear()
    assert client.get("/overdue/").status_code == 403
