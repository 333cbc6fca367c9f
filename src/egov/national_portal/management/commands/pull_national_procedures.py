from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.national_portal import catalogue
from egov.national_portal.client import PortalRefused, PortalUnavailable
from egov.organizations.models import Agency


class Command(BaseCommand):
    help = (
        "Pulls the national procedures (LayDanhSachTTHC, LayThuTuc): new ones become drafts owned "
        "by --owner (an agency code), changed ones get a new draft version listing the "
        "differences. Nothing published changes: catalogue editors publish."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", required=True, help="agency code of the catalogue owner")

    def handle(self, *args: Any, owner: str, **options: Any) -> None:
        agency = Agency.objects.filter(code=owner).first()
        if agency is None:
            raise CommandError(f"no agency has the code {owner}")
        try:
            report = catalogue.pull(agency)
        except (PortalUnavailable, PortalRefused) as exc:
            raise CommandError(f"the national portal could not be asked: {exc}") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"created {len(report.created)} changed {len(report.changed)} "
            f"unchanged {report.unchanged}"
        )
        for code, changed in report.changed.items():
            self.stdout.write(f"{code}: {', '.join(changed)}")
