from __future__ import annotations

from datetime import date

import pytest

from delivery.models import Status
from tests.factories import OwnerFactory, make_activity, make_user
from tests.meetings.conftest import make_action

MONDAY = date(2025, 6, 30)  # a working Monday
BANK_HOLIDAY_MONDAY = date(2025, 8, 25)  # England and Wales summer bank holiday


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://tracker.opcc.example"
    settings.DIGEST_DUE_SOON_DAYS = 14


@pytest.fixture
def world(db):
    """Supt Paley (the owner login) owns an overdue activity, one due in five days and an overdue
    meeting action; Digital Services (no login) owns an overdue activity; one Chief Executive."""
    owner = make_user("paley", role="Owner", first_name="Jane", last_name="Paley")
    chief = make_user("chief-exec", role="Chief Executive")
    paley = OwnerFactory(name="Supt Paley", user=owner)
    late = make_activity(
        text="Refresh the ANPR camera network",
        due_date=date(2025, 5, 31),
        on=date(2025, 1, 6),
        status=Status.IN_PROGRESS,
        owners=[paley],
    )
    soon = make_activity(
        text="Publish the rural crime action plan",
        due_date=date(2025, 7, 5),
        on=date(2025, 1, 6),
        status=Status.IN_PROGRESS,
        owners=[paley],
    )
    make_activity(
        text="Replace the records management system",
        due_date=date(2025, 4, 30),
        on=date(2025, 1, 6),
        owners=[OwnerFactory(name="Digital Services")],
    )
    action = make_action(
        text="Report on stop and search scrutiny panel findings", owners=[paley], due_date=date(2025, 6, 13)
    )
    return {"owner": owner, "chief": chief, "late": late, "soon": soon, "action": action}
