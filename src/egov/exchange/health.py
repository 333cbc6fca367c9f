"""Provider health: the operator page shows whether each service's provider answers."""

import httpx
from django.conf import settings
from django.utils import timezone

from egov.exchange.models import Service


def check(service: Service) -> bool:
    """Asks the provider for its OpenAPI description (or its base address) and records the
    answer; any HTTP answer below 500 means the provider is up."""
    url = service.openapi_url or service.base_url
    try:
        response = httpx.get(url, timeout=settings.EGOV_EXCHANGE_PROVIDER_TIMEOUT)
        healthy, detail = response.status_code < 500, f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        healthy, detail = False, f"{type(exc).__name__}: {exc}"[:300]
    service.healthy, service.health_detail, service.checked_at = healthy, detail, timezone.now()
    service.save(update_fields=["healthy", "health_detail", "checked_at"])
    return healthy


def check_all() -> dict[str, bool]:
    return {s.code: check(s) for s in Service.objects.filter(withdrawn_at__isnull=True)}
