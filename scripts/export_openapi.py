"""Print the OpenAPI schema of /api/v1/ (committed as docs/api/openapi.json): `make openapi`.

A script rather than a management command: the schema is the whole API assembled from every
app's router, and no app (least of all the kernel) should import them all."""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
django.setup()

from egov.api import api  # noqa: E402  (needs the apps loaded)

schema = api.get_openapi_schema(path_prefix="/api/v1/")
print(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True))
