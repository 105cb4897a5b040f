"""Django's Redis cache backend, made to keep the site serving when Redis is down or frozen.

Settings (``CACHES["default"]``): ``BACKEND: "portal.redis_cache.ResilientRedisCache"``; ``OPTIONS`` as for
Django's ``RedisCache`` (``socket_timeout`` and ``socket_connect_timeout`` in seconds, set short in
portal/settings.py) plus ``retry_after`` (seconds, default 5).

Every operation goes through one circuit breaker per Redis address and process. The first Redis error
(refused, timed out, reset, out of memory, ...) opens it: for ``retry_after`` seconds every operation
answers at once as a cache miss (``get`` gives the default, ``add`` False, writes are dropped), so a frozen
Redis costs one socket timeout, not one per operation and request. Then a single thread tries Redis again
(the others keep skipping until it is back); the first success closes the breaker and logs the recovery.
The caller never sees a Redis exception; ``available()`` tells whether the last write may have been lost.

Why our own breaker: it is some forty lines, and pybreaker, the usual library, holds one lock for the
whole call, which would put every cache round trip of a worker's threads in a single queue.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import partial

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 5.0


class CircuitBreaker:
    """Open after a failure, closed again after the first success; one probe at a time while open."""

    def __init__(self, name: str, retry_after: float):
        self.name = name
        self.retry_after = retry_after
        self.open_until = 0.0  # time.monotonic(); 0 = closed
        self.last_error = ""
        self._probe = threading.Lock()

    @property
    def is_open(self) -> bool:
        return bool(self.open_until)

    def available(self) -> bool:
        """False while open and not yet due for another try."""
        return not self.open_until or time.monotonic() >= self.open_until

    def call(self, operation, fallback):
        if not self.open_until:
            return self._attempt(operation, fallback)
        if time.monotonic() < self.open_until or not self._probe.acquire(blocking=False):
            return fallback
        try:
            return self._attempt(operation, fallback)
        finally:
            self._probe.release()

    def _attempt(self, operation, fallback):
        try:
            result = operation()
        except redis.RedisError as exc:
            self._trip(exc)
            return fallback
        if self.open_until:
            self.open_until = 0.0
            logger.info("cache back: %s", self.name, extra={"cache": self.name})
        return result

    def _trip(self, exc: Exception) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"[:300]
        was_open = self.is_open
        self.open_until = time.monotonic() + self.retry_after
        if not was_open:
            logger.warning(
                "cache unavailable, serving without it for %ss: %s",
                self.retry_after,
                self.last_error,
                extra={"cache": self.name, "error": self.last_error},
            )


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, retry_after: float) -> CircuitBreaker:
    """The process's breaker for one Redis address (Django makes a cache object per thread)."""
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None or breaker.retry_after != retry_after:
            breaker = _breakers[location] = CircuitBreaker(location, retry_after)
        return breaker


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("retry_after", DEFAULT_RETRY_AFTER))
        params["OPTIONS"] = options
        super().__init__(server, params)
        location = server if isinstance(server, str) else ",".join(server)
        self.breaker = breaker_for(location.split("@")[-1], retry_after)  # no password in names or logs

    def available(self) -> bool:
        return self.breaker.available()

    def _guarded(self, operation, fallback):
        return self.breaker.call(operation, fallback)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().add, key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guarded(partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().set, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guarded(partial(super().delete, key, version), False)

    def get_many(self, keys, version=None):
        return self._guarded(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._guarded(partial(super().has_key, key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guarded(partial(super().incr, key, delta, version), missing)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        return self._guarded(partial(super().delete_many, keys, version), None)

    def clear(self):
        return self._guarded(super().clear, False)


def cache_available(cache) -> bool:
    """Whether ``cache`` is answering (always True for backends without a breaker)."""
    check = getattr(cache, "available", None)
    return check() if callable(check) else True
