from django.db import migrations


def create_head(apps, schema_editor):
    # The one head row exists before the first append, so that two first appends on
    # PostgreSQL wait on its lock instead of racing to insert it.
    apps.get_model("exchange", "LogHead").objects.get_or_create(
        pk=1, defaults={"last_seq": 0, "last_hash": "0" * 64}
    )


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
