"""An agency's dossiers by submission time and status (DossierAgency), kept by triggers.

``Dossier.visible_agencies`` says who may open a dossier, and its GIN index finds an agency's
dossiers, but in no order: the search page without a name (newest first, or in one status)
walked the city's submission order backwards until it found the agency's. These rows give each
agency its own order. Triggers write them, on PostgreSQL and SQLite alike, so that every writer
of the dossier table keeps them (as the table's CHECK keeps the set whole); the set only grows,
so rows are only added, and updated when the submission time or the status changes. A draft
(or any dossier without a submission time) has none until it is submitted.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION egov_dossier_agency_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dossiers_dossieragency (agency_id, dossier_id, submitted_at, status)
  SELECT a, NEW.id, NEW.submitted_at, NEW.status FROM unnest(NEW.visible_agencies) a
  WHERE NEW.status <> 'draft' AND NEW.submitted_at IS NOT NULL
  ON CONFLICT (agency_id, dossier_id) DO UPDATE
  SET submitted_at = EXCLUDED.submitted_at, status = EXCLUDED.status
  WHERE (dossiers_dossieragency.submitted_at, dossiers_dossieragency.status)
  IS DISTINCT FROM (EXCLUDED.submitted_at, EXCLUDED.status);
  RETURN NULL;
END
$$
"""
# Django's save() writes every column: the update trigger fires only when these changed.
POSTGRESQL_TRIGGERS = [
    POSTGRESQL_FUNCTION,
    "CREATE TRIGGER dossier_agency_insert AFTER INSERT ON dossiers_dossier "
    "FOR EACH ROW EXECUTE FUNCTION egov_dossier_agency_rows()",
    "CREATE TRIGGER dossier_agency_update AFTER UPDATE OF visible_agencies, submitted_at, status "
    "ON dossiers_dossier FOR EACH ROW WHEN ((OLD.visible_agencies, OLD.submitted_at, OLD.status) "
    "IS DISTINCT FROM (NEW.visible_agencies, NEW.submitted_at, NEW.status)) "
    "EXECUTE FUNCTION egov_dossier_agency_rows()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS dossier_agency_insert ON dossiers_dossier",
    "DROP TRIGGER IF EXISTS dossier_agency_update ON dossiers_dossier",
    "DROP FUNCTION IF EXISTS egov_dossier_agency_rows()",
]
SQLITE_ROWS = (
    "INSERT INTO dossiers_dossieragency (agency_id, dossier_id, submitted_at, status) "
    "SELECT value, NEW.id, NEW.submitted_at, NEW.status FROM json_each(NEW.visible_agencies) "
    "WHERE NEW.status <> 'draft' AND NEW.submitted_at IS NOT NULL "
    "ON CONFLICT (agency_id, dossier_id) DO UPDATE "
    "SET submitted_at = excluded.submitted_at, status = excluded.status;"
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER dossier_agency_insert AFTER INSERT ON dossiers_dossier BEGIN {SQLITE_ROWS} END",
    "CREATE TRIGGER dossier_agency_update AFTER UPDATE OF visible_agencies, submitted_at, status "
    "ON dossiers_dossier WHEN OLD.visible_agencies IS NOT NEW.visible_agencies "
    "OR OLD.submitted_at IS NOT NEW.submitted_at OR OLD.status IS NOT NEW.status "
    f"BEGIN {SQLITE_ROWS} END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS dossier_agency_insert",
    "DROP TRIGGER IF EXISTS dossier_agency_update",
]
# The new table's indexes other than its primary key.
SECONDARY_INDEXES = (
    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
    "AND i.tablename = 'dossiers_dossieragency' AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
    "WHERE c.conrelid = 'dossiers_dossieragency'::regclass AND c.conname = i.indexname)"
)


def fill(apps, schema_editor):
    """The rows of the dossiers already there, then the triggers. On PostgreSQL the secondary
    indexes are built after the rows, which come in primary key order (at 20 million dossiers:
    docs/performance.md gives the time)."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(SECONDARY_INDEXES)
            indexes = cursor.fetchall()
        run("SET LOCAL maintenance_work_mem = '512MB'")
        for name, _definition in indexes:
            run(f"DROP INDEX {schema_editor.quote_name(name)}")
        run(
            "INSERT INTO dossiers_dossieragency (agency_id, dossier_id, submitted_at, status) "
            "SELECT a, d.id, d.submitted_at, d.status "
            "FROM dossiers_dossier d, unnest(d.visible_agencies) a "
            "WHERE d.status <> 'draft' AND d.submitted_at IS NOT NULL ORDER BY 1, 2"
        )
        for _name, definition in indexes:
            run(definition)
        run("ANALYZE dossiers_dossieragency")
        for statement in POSTGRESQL_TRIGGERS:
            run(statement)
        return
    run(
        "INSERT INTO dossiers_dossieragency (agency_id, dossier_id, submitted_at, status) "
        "SELECT j.value, d.id, d.submitted_at, d.status FROM dossiers_dossier d, "
        "json_each(d.visible_agencies) j "
        "WHERE d.status <> 'draft' AND d.submitted_at IS NOT NULL"
    )
    for statement in SQLITE_TRIGGERS:
        run(statement)


def drop_triggers(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_DROP if postgresql else SQLITE_DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_name_keys"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierAgency",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "agency_id",
                        "dossier_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("submitted_at", models.DateTimeField()),
                ("status", models.CharField(max_length=15)),
                (
                    "agency",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.agency",
                    ),
                ),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agency_rows",
                        to="dossiers.dossier",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["agency", "-submitted_at", "-dossier"],
                        name="dossier_agency_newest",
                    ),
                    models.Index(
                        fields=["agency", "status", "-submitted_at", "-dossier"],
                        name="dossier_agency_status",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, drop_triggers),
    ]
