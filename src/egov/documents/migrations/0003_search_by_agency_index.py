"""On PostgreSQL, one GIN index over (agency, search trigrams) answers "this agency's documents
with these words" without ANDing two bitmaps (btree_gin lets a GIN index hold the agency id);
where btree_gin cannot be created the trigram index alone serves, as before."""

from django.db import migrations

from egov.core.pg import optional_statements

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS documents_agency_search_trgm ON documents_officialdocument "
    "USING gin (agency_id, search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS documents_agency_search_trgm"]


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_search_trigram_index")]
    operations = [migrations.RunPython(optional_statements(CREATE), optional_statements(DROP))]
