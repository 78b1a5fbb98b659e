"""Schemathesis over the API's OpenAPI schema, through the WSGI app with a real token and real rows:
no server errors, and every response matches the schema (issue 15). Examples are bounded so it runs in
a few minutes on two cores; marked slow."""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from meetings.models import Meeting
from tests.factories import OwnerFactory, make_many_activities
from tests.kpis.factories import MeasureFactory, add_series, force_and_areas
from tests.meetings.conftest import make_action, make_meeting

from .conftest import token_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _load_schema():
    """The schema drf-spectacular serves at /api/schema/, generated without a request (no database needed
    at collection), and pointed at the WSGI app so that each case goes through the whole stack."""
    import django
    from drf_spectacular.generators import SchemaGenerator

    django.setup()
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = application
    return loaded


schema = _load_schema()


@pytest.fixture
def _keep_the_test_connection():
    """Requests go straight to the WSGI app, so Django's request_finished would close the database
    connection that holds the test's transaction; the test client detaches it the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def headers(db, editor, _keep_the_test_connection):
    """Rows of every kind (a draft meeting among them) and an editor's token."""
    make_many_activities(6)
    _force, (area,) = force_and_areas(("Telford and Wrekin",))
    add_series(MeasureFactory(name="Violence with injury"), area, [41, 38, 44])
    for state in (Meeting.State.DRAFT, Meeting.State.PUBLISHED):
        meeting = make_meeting(state=state)
        make_action(meeting=meeting, owners=[OwnerFactory(name="Ch Insp Preece")], due_date=date(2025, 4, 1))
    return {"Authorization": f"Bearer {token_for(editor)}"}


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_within_its_schema(case, headers):
    case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])
