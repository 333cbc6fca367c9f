"""Helpers for PostgreSQL-only schema additions in migrations."""

from django.db import transaction
from django.db.utils import DatabaseError


def optional_statements(statements: list[str]):
    """A RunPython function running ``statements`` on PostgreSQL only, and skipping them where
    the database refuses (e.g. no right to create pg_trgm): queries still work, by scanning."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                for statement in statements:
                    schema_editor.execute(statement)
        except DatabaseError:
            pass

    return run
