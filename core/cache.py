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
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_LOG_EVERY_SECONDS = 60.0


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= _LOG_EVERY_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.warning("Cache unreachable (%s: %s); working without it", operation, error)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE as e:
            self._unreachable("get", e)
            return default

    def get_many(self, keys, version: int | None = None) -> dict:
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as e:
            self._unreachable("get_many", e)
            return {}

    def has_key(self, key: str, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except UNREACHABLE as e:
            self._unreachable("has_key", e)
            return False

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as e:
            self._unreachable("set", e)

    def set_many(self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list:
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as e:
            self._unreachable("set_many", e)
            return list(data)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as e:
            self._unreachable("add", e)
            return False

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as e:
            self._unreachable("touch", e)
            return False

    def delete(self, key: str, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except UNREACHABLE as e:
            self._unreachable("delete", e)
            return False

    def delete_many(self, keys, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as e:
            self._unreachable("delete_many", e)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as e:
            self._unreachable("incr", e)
            return 0

    def clear(self) -> None:
        try:
            super().clear()
        except UNREACHABLE as e:
            self._unreachable("clear", e)
