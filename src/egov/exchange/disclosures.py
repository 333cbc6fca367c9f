"""What a person may know about the look-ups of their data (Law 91/2025 on personal data —
Luật Bảo vệ dữ liệu cá nhân): who asked, when, through which service, for what purpose and on
which legal basis. Read from the message log; nothing here writes."""

import datetime
from dataclasses import dataclass

from egov.exchange.messagelog import lookups_about
from egov.exchange.models import AccessRight, ClientSystem, MessageRecord, Service


@dataclass(frozen=True)
class Lookup:
    occurred_at: datetime.datetime
    member_name: str  # the agency or outside organisation that asked
    client_name: str  # its system
    service_name: str
    purpose: str
    legal_basis: str
    answered: bool  # the registry gave an answer (2xx), not an error


def _legal_basis(
    record: MessageRecord, client: ClientSystem | None, service: Service | None
) -> str:
    """The legal basis of the right in force at the time of the call: rights change, the
    record keeps only the purpose it was made under."""
    if client is None or service is None:
        return ""
    rights = AccessRight.objects.filter(
        client=client, service=service, granted_at__lte=record.occurred_at
    ).order_by("-granted_at")
    for right in rights:
        if right.revoked_at is None or right.revoked_at > record.occurred_at:
            return right.legal_basis
    first = rights.first()
    return first.legal_basis if first else ""


def lookups_of(personal_id: str, limit: int = 200) -> list[Lookup]:
    """The newest ``limit`` look-ups of the person with ``personal_id``."""
    if not personal_id.strip():
        return []
    records = list(lookups_about(personal_id)[:limit])
    client_codes = {record.client_code.rsplit("/", 1)[-1] for record in records}
    clients = {
        str(client): client
        for client in ClientSystem.objects.filter(code__in=client_codes).select_related("member")
    }
    services = {
        service.code: service
        for service in Service.objects.filter(code__in={record.service_code for record in records})
    }
    result = []
    for record in records:
        client = clients.get(record.client_code)
        service = services.get(record.service_code)
        result.append(
            Lookup(
                occurred_at=record.occurred_at,
                member_name=client.member.name if client else record.client_code,
                client_name=client.name if client else "",
                service_name=service.name if service else record.service_code,
                purpose=record.purpose,
                legal_basis=_legal_basis(record, client, service),
                answered=200 <= record.status < 300,
            )
        )
    return result
