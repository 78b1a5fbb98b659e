"""Redis (the cache) going away while people are signed in: pages keep answering, sessions are read from
the database, figures are worked out again; when it is back, figures are kept again and still follow
the data. The test starts and stops its own Redis on a spare port."""

from __future__ import annotations

import shutil
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from delivery import selectors, services
from delivery.models import PLAN_DATA
from tests.core.test_broker_down import RedisServer, free_port
from tests.factories import PASSWORD, make_activity

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PAGES = ("home", "activities", "overdue")


@pytest.fixture
def own_cache(settings):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(free_port())
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield server
    server.stop()


def reds() -> int:
    return sum(o.counts.get("R", 0) for p in selectors.home_summary() for o in p.objectives)


def test_pages_answer_while_the_cache_is_down_and_follow_the_data_when_it_is_back(client, editor, own_cache):
    activity = make_activity(text="Recruit 40 more special constables", rag="G")
    assert client.login(username=editor.username, password=PASSWORD)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200
    assert cache.get(PLAN_DATA.key) >= 1 and reds() == 0  # the plans' version and figures are in Redis

    own_cache.stop()
    started = time.monotonic()
    for name in PAGES:  # the session comes from the database, the figures are worked out
        assert client.get(reverse(name)).status_code == 200, name
    assert time.monotonic() - started < 5
    assert cache.get("x", "miss") == "miss" and cache.get("x", default="miss") == "miss"
    assert cache.incr("x") == 0 and cache.get_many(["x"]) == {} and cache.set_many({"x": 1}) == ["x"]
    assert (cache.add("x", 1), cache.delete("x"), cache.has_key("x"), cache.touch("x")) == (False,) * 4
    cache.set("x", 1)  # none of these raises
    cache.delete_many(["x"])
    cache.clear()
    activity.refresh_from_db()
    services.activity_record_update(  # a write while Redis is down raises nothing either
        activity=activity, by=editor, rag="R", status="in_progress", text="Training school full until March.",
        seen_version=activity.version,
    )  # fmt: skip
    assert reds() == 1  # worked out from the database, not a stale copy

    own_cache.start()  # an empty Redis (it keeps nothing on disk), as after a restart
    assert client.get(reverse("home")).status_code == 200
    assert reds() == 1
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # in use again
