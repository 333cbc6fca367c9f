"""The registers' words once each (DocumentWordForm) and, on PostgreSQL, a full-text index over
the documents' search text: a city-wide search of common words asks it for the whole words its
typed beginnings stand for (docs/documents.md, "Search"). The word compares bytes (collation
"C"), as DocumentWord's does, so that the words starting with what was typed are one range."""

from django.db import migrations, models

from egov.core.pg import optional_statements

FULL_TEXT_INDEX = [
    "CREATE INDEX IF NOT EXISTS documents_search_words ON documents_officialdocument "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
]
DROP_FULL_TEXT_INDEX = ["DROP INDEX IF EXISTS documents_search_words"]


def words_in_bytes_order(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE documents_documentwordform ALTER COLUMN word TYPE varchar(64) COLLATE "C"'
        )


def backfill(apps, schema_editor):
    # The words already in the word table; a set-based statement on every database.
    schema_editor.execute(
        "INSERT INTO documents_documentwordform (word) "
        "SELECT DISTINCT word FROM documents_documentword ORDER BY 1"
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_search_words")]

    operations = [
        migrations.CreateModel(
            name="DocumentWordForm",
            fields=[("word", models.CharField(max_length=64, primary_key=True, serialize=False))],
            options={
                "verbose_name": "document search word form",
                "verbose_name_plural": "document search word forms",
            },
        ),
        migrations.RunPython(words_in_bytes_order, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(
            optional_statements(FULL_TEXT_INDEX), optional_statements(DROP_FULL_TEXT_INDEX)
        ),
    ]
