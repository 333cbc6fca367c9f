from django.db import migrations

# A copy of egov.national_portal.mapping.DEFAULTS as it was when this migration was written.
DEFAULTS = [
    ("submitted", "", 1),
    ("received", "", 2),
    ("in_progress", "receive", 2),
    ("in_progress", "", 4),
    ("supplement", "", 5),
    ("paused", "", 8),
    ("result_ready", "", 9),
    ("returned", "", 10),
    ("refused", "desk_refuse", 3),
    ("refused", "", 8),
    ("withdrawn", "", 7),
]


def seed(apps, schema_editor):
    StatusMapping = apps.get_model("national_portal", "StatusMapping")
    for status, transition, code in DEFAULTS:
        StatusMapping.objects.get_or_create(
            status=status, transition=transition, defaults={"portal_code": code}
        )


class Migration(migrations.Migration):
    dependencies = [("national_portal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
