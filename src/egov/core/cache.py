"""Django's Redis cache, keeping its client objects.

Django's backend builds a new ``redis.Redis`` client (over the same connection pool) for every
cache call; on the public tracking path, two or three calls a request, that construction was
about a tenth of the request's time. A client is safe to share between threads and keeps using
the pool, which reconnects after a fork, so one per pool is kept.
"""

from django.core.cache.backends import redis as django_redis


class _Client(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
