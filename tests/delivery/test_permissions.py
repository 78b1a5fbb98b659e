"""Every role against every write, checked in the services (not only the views)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from core.roles import Role, role_of
from delivery import services
from delivery.models import Rag
from tests.factories import CommitmentFactory, ObjectiveFactory, OwnerFactory, PlanFactory, make_activity, make_user

pytestmark = pytest.mark.django_db

ROLES = ["Administrator", "Editor", "Owner", "Chief Executive", "Viewer"]


def _writes():
    """(name, callable(user) -> None) for every write the services offer."""
    return {
        "plan_create": lambda u: services.plan_create(by=u, name=f"Plan by {u.username}"),
        "objective_create": lambda u: services.objective_create(by=u, plan=PlanFactory(), title="Objective"),
        "section_create": lambda u: services.section_create(by=u, objective=ObjectiveFactory(), title="Section"),
        "commitment_create": lambda u: services.commitment_create(
            by=u, objective=ObjectiveFactory(), ref="9.9", text="Commitment"
        ),
        "activity_create": lambda u: services.activity_create(by=u, commitment=CommitmentFactory(), text="New"),
        "owner_get_or_create": lambda u: services.owner_get_or_create(by=u, name="New owner"),
        "oversight_body_create": lambda u: services.oversight_body_create(by=u, name="New board"),
        "user_set_role": lambda u: services.user_set_role(by=u, user=make_user("someone"), role=Role.VIEWER),
    }


ALLOWED = {
    "plan_create": {"Administrator", "Editor"},
    "objective_create": {"Administrator", "Editor"},
    "section_create": {"Administrator", "Editor"},
    "commitment_create": {"Administrator", "Editor"},
    "activity_create": {"Administrator", "Editor"},
    "owner_get_or_create": {"Administrator", "Editor"},
    "oversight_body_create": {"Administrator", "Editor"},
    "user_set_role": {"Administrator"},
}


@pytest.mark.parametrize("write", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_plan_writes_follow_the_role_matrix(users, role, write):
    user = users[role]
    if role in ALLOWED[write]:
        _writes()[write](user)
    else:
        with pytest.raises(PermissionDenied):
            _writes()[write](user)


@pytest.mark.parametrize(
    ("role", "owns", "allowed"),
    [
        ("Administrator", False, True),
        ("Editor", False, True),
        ("Owner", True, True),
        ("Owner", False, False),
        ("Chief Executive", False, False),
        ("Viewer", False, False),
        ("Viewer", True, False),
    ],
)
def test_activity_updates_follow_role_and_ownership(users, role, owns, allowed):
    user = users[role]
    owner = OwnerFactory(name="Supt Paley", user=user if owns else None)
    activity = make_activity(owners=[owner], rag=Rag.GREEN)

    def write():
        services.activity_record_update(
            activity=activity,
            by=user,
            seen_version=activity.version,
            rag=Rag.AMBER,
            text="Slipping.",
            due_date=date(2027, 1, 31),
        )

    if allowed:
        write()
        activity.refresh_from_db()
        assert activity.rag == Rag.AMBER
    else:
        with pytest.raises(PermissionDenied):
            write()
        activity.refresh_from_db()
        assert activity.rag == Rag.GREEN and activity.updates.count() == 1


def test_a_user_in_several_groups_has_the_strongest_role(db):
    user = make_user("both", role="Viewer")
    user.groups.add(*__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(name="Editor"))
    assert role_of(user) == Role.EDITOR


def test_an_inactive_or_roleless_user_has_no_role(db):
    assert role_of(make_user("nobody")) is None
    gone = make_user("gone", role="Editor", is_active=False)
    assert role_of(gone) is None
