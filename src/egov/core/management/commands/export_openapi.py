import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prints the OpenAPI schema of /api/v1/ (committed as docs/api/openapi.json)."

    def handle(self, *args, **options):
        from egov.api import api  # the project's API, assembled from every app's router

        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        self.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True))
