import json
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.documents import axis_server
from egov.organizations.models import Agency


class Command(BaseCommand):
    help = (
        "Runs the local document exchange axis (development and demo only). Without --config, "
        "this platform is its one system and every agency with a document profile is on it, "
        "plus the outside agencies named in --outside (code=name, repeatable)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=urlsplit(settings.EGOV_DOCUMENTS_EXCHANGE_URL).port or 8791,
            help="default: the port of EGOV_DOCUMENTS_EXCHANGE_URL",
        )
        parser.add_argument("--config", help="JSON file of the systems and their agencies")
        parser.add_argument("--data", default=str(settings.VAR_DIR / "axis"))
        parser.add_argument("--outside", action="append", default=[])

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The local exchange axis is for development and the demo only.")
        if options["config"]:
            config = json.loads(Path(options["config"]).read_text(encoding="utf-8"))
        else:
            organs = [
                {"code": code, "name": name}
                for code, name in Agency.objects.filter(document_profile__isnull=False).values_list(
                    "code", "name"
                )
            ]
            outside = []
            for item in options["outside"]:
                code, _sep, name = item.partition("=")
                outside.append({"code": code, "name": name or code})
            config = {
                "systems": [
                    {
                        "id": settings.EGOV_DOCUMENTS_EXCHANGE_SYSTEM_ID,
                        "secret": settings.EGOV_DOCUMENTS_EXCHANGE_SECRET,
                        "organs": organs,
                    },
                    {"id": "outside", "secret": "outside-secret", "organs": outside},
                ]
            }
        self._serve(config, Path(options["data"]), options["port"])

    def _serve(self, config, data, port):
        server = axis_server.make_server(config, data, port=port)
        self.stdout.write(f"Document exchange axis on http://127.0.0.1:{server.server_address[1]}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
