from django.db import migrations


def load(apps, schema_editor):
    from egov.notifications.defaults import TEXTS

    Template = apps.get_model("notifications", "NotificationTemplate")
    existing = set(Template.objects.values_list("event", "channel", "language"))
    Template.objects.bulk_create(
        Template(event=event, channel=channel, language=language, **text)
        for (event, channel, language), text in TEXTS.items()
        if (event, channel, language) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
