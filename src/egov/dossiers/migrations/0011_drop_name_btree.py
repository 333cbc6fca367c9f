"""The name's btree index and its larger statistics sample served the name search by prefix and
by trigrams; the name is now searched through its words (dossier_name_keys, migration 0009), and
no query reads them (0 scans at 20 million dossiers through the staff benchmark)."""

from django.db import migrations

from egov.core.pg import optional_statements


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0010_dossier_agency"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="dossier",
            name="dossiers_do_applica_db0fe5_idx",
        ),
        migrations.RunPython(
            optional_statements(
                ["ALTER TABLE dossiers_dossier ALTER COLUMN applicant_search SET STATISTICS -1"]
            ),
            optional_statements(
                ["ALTER TABLE dossiers_dossier ALTER COLUMN applicant_search SET STATISTICS 1000"]
            ),
        ),
    ]
