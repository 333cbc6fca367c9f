"""The words of each document under its agency (DocumentWord), which the register search reads
instead of the trigram index: at a million documents the trigram index read every document that
shares a common phrase's trigrams (p95 277–416 ms); the words' B-tree reads the rarest word's
entries for the person's agencies alone (docs/documents.md, "Search").

On PostgreSQL the word compares bytes (collation "C"), so that the words starting with what was
typed are one range of the index whatever the database's collation. The words of the documents
already there are written here. The trigram index stays: a query whose every word is common
across several agencies is still answered from it (search.py)."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL_SQL = """
INSERT INTO documents_documentword (agency_id, word, document_id)
SELECT DISTINCT agency_id, left(word, 64), id
FROM documents_officialdocument, regexp_split_to_table(btrim(search_text), ' +') AS word
WHERE length(word) >= 3 OR word ~ '[0-9]'
ORDER BY 1, 2, 3
ON CONFLICT DO NOTHING
"""
# The table's indexes other than its primary key (the document's foreign key), and its foreign
# keys: built and checked once after the rows rather than row by row.
SECONDARY_INDEXES = (
    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
    "AND i.tablename = 'documents_documentword' AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
    "WHERE c.conrelid = 'documents_documentword'::regclass AND c.conname = i.indexname)"
)
FOREIGN_KEYS = (
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE conrelid = 'documents_documentword'::regclass AND contype = 'f'"
)


def words_in_bytes_order(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE documents_documentword ALTER COLUMN word TYPE varchar(64) COLLATE "C"'
        )


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # In primary key order, with the other index built and the foreign keys checked
        # afterwards, in one pass each (as dossiers 0010 does).
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(SECONDARY_INDEXES)
            indexes = cursor.fetchall()
            cursor.execute(FOREIGN_KEYS)
            foreign_keys = cursor.fetchall()
        run = schema_editor.execute
        run("SET LOCAL maintenance_work_mem = '512MB'")
        # Checks still pending on the table would forbid changing it.
        run("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in foreign_keys:
            run(f'ALTER TABLE documents_documentword DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            run(f'DROP INDEX "{name}"')
        run(BACKFILL_SQL)
        for _name, definition in indexes:
            run(definition)
        for name, definition in foreign_keys:
            run(f'ALTER TABLE documents_documentword ADD CONSTRAINT "{name}" {definition}')
        run("SET CONSTRAINTS ALL DEFERRED")
        run("ANALYZE documents_documentword")
        return
    # The same rule as egov.documents.search.words_of, in batches (the other databases).
    document_model = apps.get_model("documents", "OfficialDocument")
    word_model = apps.get_model("documents", "DocumentWord")
    rows = []
    for pk, agency_id, text in document_model.objects.values_list(
        "pk", "agency_id", "search_text"
    ).iterator(chunk_size=2000):
        words = {
            word[:64]
            for word in text.split()
            if len(word) >= 3 or any(ch in "0123456789" for ch in word)
        }
        rows.extend(word_model(agency_id=agency_id, word=w, document_id=pk) for w in words)
        if len(rows) >= 5000:
            word_model.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    word_model.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_search_trigram_index"),
        ("organizations", "0002_commune_service_centre"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentWord",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "agency",
                        "word",
                        "document",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("word", models.CharField(max_length=64)),
                (
                    "agency",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organizations.agency",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="documents.officialdocument",
                    ),
                ),
            ],
            options={
                "verbose_name": "document search word",
                "verbose_name_plural": "document search words",
            },
        ),
        migrations.RunPython(words_in_bytes_order, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
