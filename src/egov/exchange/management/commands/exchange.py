"""The operator's commands for the platform: add members, client systems and services, grant
and revoke rights (each audited, as the operator pages do)."""

import json
from argparse import Namespace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.exchange import services
from egov.exchange.models import AccessRight, ClientSystem, Member, Service
from egov.organizations.models import Agency


class Command(BaseCommand):
    help = "Operates the data sharing platform: member, client, service, grant, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True)
        member = commands.add_parser("member", help="add or rename a member")
        member.add_argument("code")
        member.add_argument("name")
        member.add_argument("--agency", help="the agency code, for a member that is one")
        client = commands.add_parser("client", help="register a client system")
        client.add_argument("member")
        client.add_argument("code")
        client.add_argument("name")
        client.add_argument("certificate", help="PEM file of the client's certificate")
        client.add_argument("--per-minute", type=int, default=600)
        client.add_argument("--per-day", type=int, default=100_000)
        service = commands.add_parser("service", help="publish a service")
        service.add_argument("provider")
        service.add_argument("code")
        service.add_argument("name")
        service.add_argument("base_url")
        service.add_argument("--openapi-url", default="")
        service.add_argument("--openapi-file", help="the OpenAPI description, JSON")
        service.add_argument("--keep-bodies", action="store_true")
        grant = commands.add_parser("grant", help="grant a client a right to a service")
        grant.add_argument("client")
        grant.add_argument("service")
        grant.add_argument("--purpose", required=True)
        grant.add_argument("--legal-basis", required=True)
        revoke = commands.add_parser("revoke", help="revoke a client's right to a service")
        revoke.add_argument("client")
        revoke.add_argument("service")
        revoke.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = getattr(self, f"_{options['what']}")(Namespace(**options))
        except services.ExchangeError as exc:
            raise CommandError(exc.message) from exc
        except (Member.DoesNotExist, ClientSystem.DoesNotExist, Service.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(done))

    def _member(self, o: Namespace) -> Member:
        agency = Agency.objects.get(code=o.agency) if o.agency else None
        kind = Member.Kind.AGENCY if agency else Member.Kind.OUTSIDE
        return services.save_member(actor=None, code=o.code, name=o.name, kind=kind, agency=agency)

    def _client(self, o: Namespace) -> ClientSystem:
        return services.register_client(
            actor=None,
            member=Member.objects.get(code=o.member),
            code=o.code,
            name=o.name,
            certificate_pem=Path(o.certificate).read_text(),
            rate_per_minute=o.per_minute,
            daily_quota=o.per_day,
        )

    def _service(self, o: Namespace) -> Service:
        document = json.loads(Path(o.openapi_file).read_text()) if o.openapi_file else None
        return services.publish_service(
            actor=None,
            provider=Member.objects.get(code=o.provider),
            code=o.code,
            name=o.name,
            base_url=o.base_url,
            openapi_url=o.openapi_url,
            openapi_document=document,
            keep_bodies=o.keep_bodies,
        )

    def _grant(self, o: Namespace) -> AccessRight:
        return services.grant_right(
            actor=None,
            client=ClientSystem.objects.get(code=o.client),
            service=Service.objects.get(code=o.service),
            purpose=o.purpose,
            legal_basis=o.legal_basis,
        )

    def _revoke(self, o: Namespace) -> str:
        right = AccessRight.objects.filter(
            client__code=o.client, service__code=o.service, revoked_at__isnull=True
        ).first()
        if right is None:
            raise CommandError("no live right of that client to that service")
        services.revoke_right(actor=None, right=right, reason=o.reason)
        return f"revoked: {right}"
