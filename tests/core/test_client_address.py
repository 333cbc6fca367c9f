"""Rate limits key on the client's address; X-Forwarded-For is believed only from our proxies."""

import uuid

import pytest
from django.test import RequestFactory

from egov.core.clientaddr import client_address

pytestmark = pytest.mark.django_db

UNKNOWN = "/api/v1/tracking/000.00.00.H13-000101-0001"


def _request(forwarded=None, remote="203.0.113.9"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_header_is_ignored(settings):
    settings.EGOV_NUM_PROXIES = 0
    assert client_address(_request("198.18.0.1")) == "203.0.113.9"


def test_behind_one_proxy_the_last_entry_is_the_client(settings):
    settings.EGOV_NUM_PROXIES = 1
    assert client_address(_request("198.18.0.1")) == "198.18.0.1"
    # The client wrote the first entry itself; our proxy appended the second.
    assert client_address(_request("10.0.0.1, 198.18.0.2")) == "198.18.0.2"
    assert client_address(_request()) == "203.0.113.9"
    assert client_address(_request("not-an-address")) == "203.0.113.9"


def test_behind_two_proxies(settings):
    settings.EGOV_NUM_PROXIES = 2
    assert client_address(_request("1.1.1.1, 198.18.0.3, 10.0.0.7")) == "198.18.0.3"
    assert client_address(_request("198.18.0.4")) == "198.18.0.4"


def test_forged_forwarded_for_does_not_escape_the_tracking_limit(client, settings):
    assert settings.EGOV_NUM_PROXIES == 0 and settings.NINJA_NUM_PROXIES == 0
    for n in range(30):
        client.get(UNKNOWN, HTTP_X_FORWARDED_FOR=f"198.18.0.{n}")
    answer = client.get(UNKNOWN, HTTP_X_FORWARDED_FOR="198.18.1.1")
    assert answer.status_code == 429
    for n in range(30):
        client.get(
            "/tra-cuu/", {"ma": "000.00.00.H13-000101-0001"}, HTTP_X_FORWARDED_FOR=f"{n}.1.1.1"
        )
    page = client.get("/tra-cuu/", {"ma": "x"}, HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert page.status_code == 429


def test_behind_a_proxy_each_client_has_its_own_limit(client, settings):
    settings.EGOV_NUM_PROXIES = 1
    settings.NINJA_NUM_PROXIES = 1
    for _ in range(30):
        assert client.get(UNKNOWN, HTTP_X_FORWARDED_FOR="198.18.0.1").status_code == 404
    assert client.get(UNKNOWN, HTTP_X_FORWARDED_FOR="198.18.0.1").status_code == 429
    # A client that puts another address in front of its own is still itself.
    assert client.get(UNKNOWN, HTTP_X_FORWARDED_FOR="7.7.7.7, 198.18.0.1").status_code == 429
    assert client.get(UNKNOWN, HTTP_X_FORWARDED_FOR="198.18.0.2").status_code == 404
    for _ in range(30):
        client.get("/tra-cuu/", {"ma": "x"}, HTTP_X_FORWARDED_FOR="198.18.0.5")
    assert (
        client.get("/tra-cuu/", {"ma": "x"}, HTTP_X_FORWARDED_FOR="198.18.0.5").status_code == 429
    )
    assert (
        client.get("/tra-cuu/", {"ma": "x"}, HTTP_X_FORWARDED_FOR="198.18.0.6").status_code == 200
    )


def test_the_limit_counts_in_redis_in_one_round_trip(client, settings, time_machine):
    import redis

    # The count is per calendar minute: a still clock keeps the 31 requests in one minute (a
    # PostgreSQL run once saw the 31st answered across a minute's end).
    time_machine.move_to("2026-12-07T09:00:10+07:00", tick=False)

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "egov.core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "egov-tests",
        }
    }
    # A fresh address: the counter of a run a moment ago must not count here.
    address = f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    for _ in range(30):
        assert client.get(UNKNOWN, REMOTE_ADDR=address).status_code == 404
    assert client.get(UNKNOWN, REMOTE_ADDR=address).status_code == 429
