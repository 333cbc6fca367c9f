"""The status index goes (nothing reads closed statuses through it, and the planner AND-ed its
261,000-row bitmap of open dossiers into each agency's overdue tab at 20 million); a partial
index on the appointment of the dossiers still waiting or open takes its place for the
city-wide lists and the late-dossier warnings.

The index is dropped by name rather than by altering the field: SQLite alters a field by
rebuilding the table, which would drop the dossier-agency triggers of migration 0010."""

from django.db import migrations, models


def _status_index_names(schema_editor) -> list[str]:
    name = schema_editor._create_index_name("dossiers_dossier", ["status"])
    # PostgreSQL has a second one for LIKE on a varchar column.
    return [name, f"{name}_like"] if schema_editor.connection.vendor == "postgresql" else [name]


def drop_status_index(apps, schema_editor):
    for name in _status_index_names(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def restore_status_index(apps, schema_editor):
    plain, *like = _status_index_names(schema_editor)
    table = schema_editor.quote_name("dossiers_dossier")
    schema_editor.execute(f"CREATE INDEX {schema_editor.quote_name(plain)} ON {table} (status)")
    for name in like:
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name(name)} ON {table} (status varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0011_drop_name_btree"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(drop_status_index, restore_status_index),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="dossier",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted, waiting to be received"),
                            ("received", "Received"),
                            ("in_progress", "Being processed"),
                            ("supplement", "Supplement requested"),
                            ("paused", "Paused"),
                            ("result_ready", "Result ready"),
                            ("returned", "Result returned"),
                            ("refused", "Refused"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="draft",
                        max_length=15,
                        verbose_name="status",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        ["submitted", "in_progress", "paused", "received", "result_ready"],
                    )
                ),
                fields=["due_at"],
                name="dossier_live_due",
            ),
        ),
    ]
