"""The common ranks (ngạch) and professional titles with their salary groups. An administrator
adds the others in the Django admin; the import refuses a rank code it does not know."""

from django.db import migrations

RANKS = [
    # Thông tư 02/2021/TT-BNV: the administrative ranks
    ("01.001", "Chuyên viên cao cấp", "A3.1"),
    ("01.002", "Chuyên viên chính", "A2.1"),
    ("01.003", "Chuyên viên", "A1"),
    ("01.004", "Cán sự", "A0"),
    ("01.005", "Nhân viên", "B"),
    # Inspectors
    ("04.023", "Thanh tra viên cao cấp", "A3.1"),
    ("04.024", "Thanh tra viên chính", "A2.1"),
    ("04.025", "Thanh tra viên", "A1"),
    # Accountants (Thông tư 77/2019/TT-BTC)
    ("06.029", "Kế toán viên cao cấp", "A3.2"),
    ("06.030", "Kế toán viên chính", "A2.2"),
    ("06.031", "Kế toán viên", "A1"),
    ("06.032", "Kế toán viên trung cấp", "A0"),
    # Doctors, a professional title of public employees (viên chức)
    ("V.08.01.01", "Bác sĩ cao cấp (hạng I)", "A3.1"),
    ("V.08.01.02", "Bác sĩ chính (hạng II)", "A2.1"),
    ("V.08.01.03", "Bác sĩ (hạng III)", "A1"),
]


def add(apps, schema_editor):
    Rank = apps.get_model("personnel", "Rank")
    for code, name, group in RANKS:
        Rank.objects.get_or_create(code=code, defaults={"name": name, "salary_group": group})


def remove(apps, schema_editor):
    apps.get_model("personnel", "Rank").objects.filter(code__in=[r[0] for r in RANKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
