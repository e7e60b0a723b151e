"""Redis as a cache the service can live without.

Sessions (cached in Redis, kept in PostgreSQL), API throttling and the dashboard's kept figures
read the cache. With Django's own Redis cache, an unreachable Redis made every signed-in page,
sign-in and the API answer 500. Here each call that cannot reach Redis behaves as a miss: reads
find nothing, writes are dropped, and the database answers instead. A warning is logged at most
once a minute while Redis is away.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        logger.warning("Redis is unreachable; the cache is bypassed: %s", error)


def _or(missing):
    """Run the client call; if Redis cannot be reached, log and return ``missing(*args)``."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _warn(error)
                return missing(*args, **kwargs)

        return call

    return decorate


class FailSoftRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        """One ``redis.Redis`` per server, kept: Django makes a new one for every call, which
        builds its table of reply handlers each time (half a millisecond, three times on every
        page). A client is safe to share between threads, and its pool opens new connections
        in a process forked after it was made."""
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    add = _or(lambda *a, **k: False)(RedisCacheClient.add)
    get = _or(lambda key, default=None: default)(RedisCacheClient.get)
    set = _or(lambda *a, **k: None)(RedisCacheClient.set)
    touch = _or(lambda *a, **k: False)(RedisCacheClient.touch)
    delete = _or(lambda *a, **k: False)(RedisCacheClient.delete)
    get_many = _or(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _or(lambda *a, **k: False)(RedisCacheClient.has_key)
    set_many = _or(lambda *a, **k: None)(RedisCacheClient.set_many)
    delete_many = _or(lambda *a, **k: None)(RedisCacheClient.delete_many)
    clear = _or(lambda *a, **k: False)(RedisCacheClient.clear)

    @_or(lambda key, delta=1: _missing_key(key))
    def incr(self, key, delta=1):
        return super().incr(key, delta)


def _missing_key(key):
    raise ValueError(f"Key '{key}' not found")  # as for a key the cache does not hold


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**FAST_FAILURE, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient


# A Redis that does not answer is given up on in half a second, not waited for.
FAST_FAILURE = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def current_generation(key: str) -> int | None:
    """The generation counter ``key``, started from the clock if Redis holds none: a counter
    that Redis lost and starts again never comes back to a number something was kept under
    before. ``None`` when Redis cannot be reached."""
    from django.core.cache import cache

    generation = cache.get(key)
    if generation is None:
        cache.add(key, time.time_ns(), None)
        generation = cache.get(key)
    return generation


def move_generation(key: str) -> None:
    """Move the generation counter ``key`` on, now and again when the current transaction
    commits, so that a request that read the old rows meanwhile cannot keep them: every entry
    kept with the old generation is read again."""
    from django.core.cache import cache
    from django.db import transaction

    def move():
        cache.add(key, time.time_ns(), None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between the two calls: started again from the clock
            cache.set(key, time.time_ns(), None)

    move()
    transaction.on_commit(move)
