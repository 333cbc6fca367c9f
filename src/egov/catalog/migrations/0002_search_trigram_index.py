"""On PostgreSQL, a trigram index lets `LIKE '% word%'` on the search text use an index.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. Where it
cannot be created the search still works, by scanning; docs/catalog.md says how to add it later.
"""

from django.db import migrations, transaction
from django.db.utils import DatabaseError

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalog_version_search_trgm ON catalog_procedureversion "
    "USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS catalog_version_search_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                for statement in statements:
                    schema_editor.execute(statement)
        except DatabaseError:
            pass  # no right to create the extension: search falls back to a scan

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
