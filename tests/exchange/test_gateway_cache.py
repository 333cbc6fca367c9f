"""The gateway keeps client systems and rights per worker for a few seconds, and forgets them at
the next call once any of them changed: a change moves a generation on in the shared cache,
which every call reads in the round trip that counts its rate."""

import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from egov.exchange import gateway, services
from egov.exchange.models import AccessRight, ClientSystem, Service


@pytest.fixture
def cached(settings):
    settings.EGOV_EXCHANGE_CLIENT_CACHE_SECONDS = 30
    gateway.forget_clients()


def _another_worker_changed_something() -> None:
    """What another process's clients_changed leaves behind: the generation moved on in the
    shared cache (this process's own cache untouched)."""
    if not cache.add(gateway.GENERATION_KEY, 1, None):
        cache.incr(gateway.GENERATION_KEY)


def test_a_revoked_right_takes_effect_at_the_next_call(
    client, caller, cached, django_capture_on_commit_callbacks
):
    assert caller.call(client, "x").status_code == 200
    right = AccessRight.objects.get(client=caller.client)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_right(actor=None, right=right, reason="Hết thời hạn thỏa thuận")
    assert caller.call(client, "x").status_code == 403


def test_a_suspension_in_another_worker_takes_effect_at_the_next_call(client, caller, cached):
    assert caller.call(client, "x").status_code == 200
    # Another worker suspends the client: the row changes and the generation moves on, while
    # this worker still holds the client as it was.
    ClientSystem.objects.filter(pk=caller.client.pk).update(suspended_at=timezone.now())
    assert caller.call(client, "x").status_code == 200  # nothing told this worker yet
    _another_worker_changed_something()
    assert caller.call(client, "x").status_code == 403


def test_a_revocation_in_another_worker_takes_effect_at_the_next_call(client, caller, cached):
    assert caller.call(client, "x").status_code == 200
    AccessRight.objects.filter(client=caller.client).update(revoked_at=timezone.now())
    _another_worker_changed_something()
    assert caller.call(client, "x").status_code == 403


def test_a_withdrawn_service_saved_anywhere_moves_the_generation_on(
    caller, django_capture_on_commit_callbacks
):
    before = cache.get(gateway.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        service = Service.objects.get(pk=caller.service.pk)
        service.withdrawn_at = timezone.now()
        service.save()  # as the admin would, without the services
    assert cache.get(gateway.GENERATION_KEY) != before


def test_a_change_outside_django_is_seen_within_the_cache_time(client, caller, cached):
    assert caller.call(client, "x").status_code == 200
    AccessRight.objects.filter(client=caller.client).update(revoked_at=timezone.now())
    assert caller.call(client, "x").status_code == 200  # no generation moved: kept
    with mock.patch("egov.exchange.gateway.time.monotonic", return_value=time.monotonic() + 31):
        assert caller.call(client, "x").status_code == 403


def test_without_the_shared_cache_a_change_is_still_bounded_by_the_cache_time(caller, caplog):
    with mock.patch.object(gateway.cache, "add", side_effect=ConnectionError("redis away")):
        gateway.clients_changed()  # does not fail the change that called it
    assert "generation could not be moved on" in caplog.text


def test_the_rate_and_the_generation_are_one_round_trip_to_redis(settings):
    """With Redis as the cache, the minute, the day and the generation go in one pipeline."""
    from egov.core import throttling

    pipeline = mock.MagicMock()
    pipeline.execute.return_value = [3, True, 7, True, b"5"]
    backend = mock.MagicMock(spec=throttling.RedisCache)
    backend.make_and_validate_key.side_effect = lambda key: f":1:{key}"
    backend._cache.get_client.return_value.pipeline.return_value = pipeline
    with mock.patch.object(throttling, "caches", {"default": backend}):
        counts, value = throttling.count_hits([("a", 61), ("b", 86401)], read="gen")
    assert (counts, value) == ([3, 7], b"5")
    assert pipeline.execute.call_count == 1
    assert [c.args for c in pipeline.incr.call_args_list] == [(":1:a",), (":1:b",)]
    pipeline.get.assert_called_once_with(":1:gen")
