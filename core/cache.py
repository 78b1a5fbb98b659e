"""The shared cache (Redis) as something pages can do without: when Redis cannot be reached, a read is a
miss and a write is dropped, so pages work their figures out again and sessions are read from the
database (the `cached_db` engine), instead of every page failing. Connecting gives up quickly
(CACHE_SOCKET_TIMEOUT), and the outage is logged once a minute, not on every request.

Figures kept under a data fingerprint (core.freshness) while Redis was down were not kept, and writes
made meanwhile could not move the fingerprints' versions: entries older than the outage may be served
until they expire (minutes: each is stored with a timeout), which is why every such entry has one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_LOG_EVERY_SECONDS = 60.0


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, each operation answering as on a miss when Redis cannot be reached."""

    _last_logged = 0.0

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= _LOG_EVERY_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.warning("Cache unreachable (%s: %s); working without it", operation, error)


def _get_default(key: str, default: Any = None, version: int | None = None) -> Any:
    return default


def _not_stored(data: dict, *args: Any, **kwargs: Any) -> list:
    return list(data)


# What each operation answers when Redis cannot be reached: a miss, nothing stored, nothing counted.
ON_UNREACHABLE: dict[str, Callable[..., Any]] = {
    "get": _get_default,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "set": lambda *args, **kwargs: None,
    "set_many": _not_stored,
    "add": lambda *args, **kwargs: False,
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "incr": lambda *args, **kwargs: 0,
    "clear": lambda *args, **kwargs: None,
}


def _degrading(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    operation = getattr(RedisCache, name)

    @wraps(operation)
    def method(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return operation(self, *args, **kwargs)
        except UNREACHABLE as e:
            self._unreachable(name, e)
            return fallback(*args, **kwargs)

    return method


for _name, _fallback in ON_UNREACHABLE.items():
    setattr(ResilientRedisCache, _name, _degrading(_name, _fallback))
