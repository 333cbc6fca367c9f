"""The audit trail split into chains, each with its own head (egov.core.audit): existing records
and the existing head become chain 0, unchanged, so their hashes still verify."""

from django.db import migrations, models

# SQLite rebuilds the table to add a column or drop a unique constraint, which drops the
# trigger of migration 0002: it is created again.
SQLITE_TRIGGER = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]


# The single head was written with an explicit id, which PostgreSQL's id sequence never saw:
# the first new chain's head would take id 1 again.
POSTGRES_SEQUENCE = (
    "SELECT setval(pg_get_serial_sequence('core_auditchainhead', 'id'), "
    "coalesce(max(id), 0) + 1, false) FROM core_auditchainhead"
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_TRIGGER:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_SEQUENCE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGER:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_cache_table")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="chain",
            field=models.BigIntegerField(default=0, unique=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.BigIntegerField(default=0, verbose_name="chain"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="audit_event_chain_seq"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(verbose_name="sequence"),
        ),
        migrations.RunPython(forward, backward),
    ]
