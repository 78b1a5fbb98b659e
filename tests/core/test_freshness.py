import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.freshness import fingerprints
from delivery.models import PLAN_DATA
from meetings.selectors import MEETING_DATA
from tests.factories import make_activity

pytestmark = pytest.mark.django_db


def test_several_fingerprints_are_read_in_one_query_and_match_each_read_alone():
    make_activity()
    alone = [PLAN_DATA.fingerprint(), MEETING_DATA.fingerprint()]
    with CaptureQueriesContext(connection) as ctx:
        together = fingerprints(PLAN_DATA, MEETING_DATA)
    assert len(ctx) == 1
    assert together == alone


def test_a_write_moves_only_the_fingerprint_of_the_data_it_touches():
    before = fingerprints(PLAN_DATA, MEETING_DATA)
    make_activity()
    after = fingerprints(PLAN_DATA, MEETING_DATA)
    assert after[0] != before[0]
    assert after[1] == before[1]
    PLAN_DATA.changed()
    assert fingerprints(PLAN_DATA, MEETING_DATA)[0] != after[0]
