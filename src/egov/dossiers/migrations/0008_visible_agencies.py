"""The agencies that may open a dossier, in one column (Dossier.visible_agencies).

It replaces the search's "or consulted" sub-query and the control sheet's `outside` mark that
served it. On PostgreSQL one GIN index over (visible_agencies, applicant_search trigrams)
answers "one of my agencies and this name" in one scan, and a constraint refuses a dossier row
whose own agencies are missing from the column. At 20 million dossiers this migration rewrites
the table once (docs/performance.md gives the time measured); the table is locked meanwhile.
"""

from django.db import migrations
from django.db.models import F

import egov.core.fields
from egov.core.pg import optional_statements

COMPLETE = (
    "ALTER TABLE dossiers_dossier ADD CONSTRAINT dossier_visible_agencies_complete CHECK "
    "(visible_agencies @> array_remove("
    "ARRAY[receiving_agency_id, deciding_agency_id, current_agency_id], NULL))"
)


# The dossier table's indexes and unique constraints other than its primary key.
SECONDARY_INDEXES = (
    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
    "AND i.tablename = 'dossiers_dossier' AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
    "WHERE c.conrelid = 'dossiers_dossier'::regclass AND c.conname = i.indexname)"
)
UNIQUE_CONSTRAINTS = (
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE conrelid = 'dossiers_dossier'::regclass AND contype = 'u'"
)


def _rows(schema_editor, sql: str) -> list[tuple]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _fill_postgresql(schema_editor) -> None:
    """Every row is rewritten. With the table's two dozen indexes kept up to date, that had done
    about 40% of 20 million dossiers after 32 minutes; without them it took under 5 minutes, and
    building them again less than the rest of the update would have. So they are set aside and
    built again from their own definitions, in the migration's transaction."""
    quote, run = schema_editor.quote_name, schema_editor.execute
    indexes = _rows(schema_editor, SECONDARY_INDEXES)
    uniques = _rows(schema_editor, UNIQUE_CONSTRAINTS)
    run("SET LOCAL maintenance_work_mem = '512MB'")
    for name, _definition in indexes:
        run(f"DROP INDEX {quote(name)}")
    for name, _definition in uniques:
        run(f"ALTER TABLE dossiers_dossier DROP CONSTRAINT {quote(name)}")
    for statement in (
        "CREATE TEMPORARY TABLE outside_agencies ON COMMIT DROP AS "
        "SELECT dossier_id, array_agg(DISTINCT agency_id) AS agencies "
        "FROM dossiers_dossierstep WHERE outside GROUP BY dossier_id",
        "CREATE UNIQUE INDEX ON outside_agencies (dossier_id)",
        "ANALYZE outside_agencies",
        "UPDATE dossiers_dossier d SET visible_agencies = ARRAY("
        "SELECT DISTINCT a FROM unnest(ARRAY[receiving_agency_id, deciding_agency_id, "
        "current_agency_id] || coalesce((SELECT o.agencies FROM outside_agencies o "
        "WHERE o.dossier_id = d.id), '{}')) a WHERE a IS NOT NULL ORDER BY a)",
        COMPLETE,
    ):
        run(statement)
    for name, definition in uniques:
        run(f"ALTER TABLE dossiers_dossier ADD CONSTRAINT {quote(name)} {definition}")
    for _name, definition in indexes:
        run(definition)


def fill(apps, schema_editor):
    """Receiving, deciding and current agency, and the agencies of the steps done outside them:
    the rule the search applied until now, as one set."""
    if schema_editor.connection.vendor == "postgresql":
        _fill_postgresql(schema_editor)
        return
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierStep = apps.get_model("dossiers", "DossierStep")
    outside = {}
    for dossier_id, agency_id in DossierStep.objects.filter(outside=True).values_list(
        "dossier_id", "agency_id"
    ):
        outside.setdefault(dossier_id, set()).add(agency_id)
    for dossier in Dossier.objects.only(
        "receiving_agency", "deciding_agency", "current_agency"
    ).iterator():
        agencies = outside.get(dossier.pk, set()) | {
            dossier.receiving_agency_id,
            dossier.deciding_agency_id,
            dossier.current_agency_id,
        }
        dossier.visible_agencies = sorted(agencies - {None})
        dossier.save(update_fields=["visible_agencies"])


def mark_outside(apps, schema_editor):
    """Going back: the control sheet's mark, from the dossier's receiving and deciding agency."""
    DossierStep = apps.get_model("dossiers", "DossierStep")
    DossierStep.objects.exclude(agency=F("dossier__receiving_agency")).exclude(
        agency=F("dossier__deciding_agency")
    ).update(outside=True)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE dossiers_dossier DROP CONSTRAINT IF EXISTS "
            "dossier_visible_agencies_complete"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_drop_full_current_queue_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="visible_agencies",
            field=egov.core.fields.IdSetField(
                grows_with=["receiving_agency", "deciding_agency", "current_agency"]
            ),
        ),
        # The name's own trigram index goes first: the new index replaces it, and a GIN index
        # kept up to date through the rewrite of every row would be the slowest part of it.
        migrations.RunPython(
            optional_statements(["DROP INDEX IF EXISTS dossiers_applicant_search_trgm"]),
            optional_statements(
                [
                    "CREATE INDEX IF NOT EXISTS dossiers_applicant_search_trgm "
                    "ON dossiers_dossier USING gin (applicant_search gin_trgm_ops)",
                ]
            ),
        ),
        migrations.RunPython(fill, mark_outside),
        migrations.RemoveIndex(
            model_name="dossierstep",
            name="dossierstep_outside_agency",
        ),
        migrations.RemoveField(
            model_name="dossierstep",
            name="outside",
        ),
        # One index for the name, alone (system-wide search) or with the user's agencies (a
        # multi-column GIN index serves a condition on any of its columns as well as a
        # one-column one). Without pg_trgm, the agencies alone are indexed.
        migrations.RunPython(
            optional_statements(
                [
                    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                    "CREATE INDEX dossier_visible_search ON dossiers_dossier USING gin "
                    "(visible_agencies, applicant_search gin_trgm_ops)",
                ]
            ),
            optional_statements(["DROP INDEX IF EXISTS dossier_visible_search"]),
        ),
        migrations.RunPython(
            optional_statements(
                [
                    "CREATE INDEX IF NOT EXISTS dossier_visible_search ON dossiers_dossier "
                    "USING gin (visible_agencies)"
                ]
            ),
            migrations.RunPython.noop,
        ),
    ]
