"""The applicant's name searched by words, each word keyed with the agencies that may see it.

At 20 million dossiers the trigram index answered "my agency and this name" in 280–550 ms: every
trigram of a Vietnamese name (``ngu``, ``tra``, ``anh``) is in hundreds of thousands of names,
and the index had to intersect them all. The keys here are whole words, alone (a city-wide
search) and prefixed with each agency of ``visible_agencies`` (``16.nga``), so the rarest word
of the busiest agency points at a few thousand rows, and the others are skipped through, not
read. On PostgreSQL only: SQLite checks the same words with LIKE (egov.dossiers.worklists).

The index is built from the table once (at 20 million dossiers: docs/performance.md gives the
time); the table is open to reads meanwhile and its writes wait.
"""

from django.db import migrations

# Plain SQL over arrays: 3.8 µs a row against 9 µs for a DISTINCT over unnested rows (the index
# build at 20 million calls it once per dossier); array_to_tsvector drops repeated keys itself.
FUNCTION = """
CREATE OR REPLACE FUNCTION egov_name_keys(agencies bigint[], name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(words || ARRAY(
    SELECT a::text || '.' || w FROM unnest(agencies) a, unnest(words) w
  )) FROM (SELECT array_remove(string_to_array(name, ' '), '') AS words) s
$$
"""
FORWARD = [
    FUNCTION,
    "SET LOCAL maintenance_work_mem = '512MB'",
    "CREATE INDEX dossier_name_keys ON dossiers_dossier "
    "USING gin (egov_name_keys(visible_agencies, applicant_search))",
    # The agencies alone keep their own index (filters without a name); the trigrams go.
    "DROP INDEX IF EXISTS dossier_visible_search",
    "CREATE INDEX dossier_visible_agencies ON dossiers_dossier USING gin (visible_agencies)",
    # The planner's statistics of the new expression (which keys are common): 11 s at 20 M.
    "ANALYZE dossiers_dossier",
]
BACKWARD = [
    "DROP INDEX IF EXISTS dossier_name_keys",
    "DROP INDEX IF EXISTS dossier_visible_agencies",
    "DROP FUNCTION IF EXISTS egov_name_keys(bigint[], text)",
]
# 0008's index, with the name's trigrams where pg_trgm is there and the agencies alone if not.
BACKWARD_TRIGRAMS = (
    "CREATE INDEX dossier_visible_search ON dossiers_dossier USING gin "
    "(visible_agencies, applicant_search gin_trgm_ops)"
)
BACKWARD_AGENCIES = (
    "CREATE INDEX dossier_visible_search ON dossiers_dossier USING gin (visible_agencies)"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        trigrams = cursor.fetchone() is not None
    schema_editor.execute(BACKWARD_TRIGRAMS if trigrams else BACKWARD_AGENCIES)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0008_visible_agencies"),
    ]

    operations = [migrations.RunPython(forward, backward)]
