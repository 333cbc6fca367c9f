"""The status index goes (nothing reads closed statuses through it, and the planner AND-ed its
261,000-row bitmap of open dossiers into each agency's overdue tab at 20 million); a partial
index on the appointment of the dossiers still waiting or open takes its place for the
city-wide lists and the late-dossier warnings."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_procedure_payment_first"),
        ("dossiers", "0011_drop_name_btree"),
        ("organizations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
