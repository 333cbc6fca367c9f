"""The platform's public catalogue of shared services: what members may ask a right to."""

from django.http import HttpRequest
from ninja import Field, Router, Schema

from egov.exchange.models import Service

router = Router(tags=["exchange"])


class ServiceOut(Schema):
    code: str
    name: str
    provider: str = Field(description="the member that provides it")
    openapi_url: str = Field(description="address of its OpenAPI description (may be empty)")
    has_openapi_document: bool = Field(description="the platform holds its OpenAPI document")


@router.get("/exchange/services", response=list[ServiceOut], summary="Shared services")
def list_services(request: HttpRequest) -> list[ServiceOut]:
    services = Service.objects.filter(withdrawn_at__isnull=True).select_related("provider")
    return [
        ServiceOut(
            code=service.code,
            name=service.name,
            provider=service.provider.name,
            openapi_url=service.openapi_url,
            has_openapi_document=service.openapi_document is not None,
        )
        for service in services
    ]
