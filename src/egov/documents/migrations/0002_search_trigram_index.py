"""On PostgreSQL, a trigram index lets the register search's `LIKE '% word%'` use an index
(pg_trgm; where it cannot be created the search still works, by scanning)."""

from django.db import migrations

from egov.core.pg import optional_statements

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS documents_search_trgm ON documents_officialdocument "
    "USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS documents_search_trgm"]


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents")]
    operations = [migrations.RunPython(optional_statements(CREATE), optional_statements(DROP))]
