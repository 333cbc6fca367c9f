import pytest

from egov.core.models import AuditEvent
from egov.organizations import services
from egov.organizations.models import AdministrativeUnit, Agency, UnitSuccession

pytestmark = pytest.mark.django_db

UNITS = """code,name,level,kind,parent_code,valid_from,valid_to
92,Thành phố Cần Thơ,1,thanh_pho_tw,,,2025-06-30
916,Quận Ninh Kiều,2,quan,92,,2025-06-30
31117,Phường Cái Khế,3,phuong,916,,2025-06-30
92,Thành phố Cần Thơ,1,thanh_pho_tw,,2025-07-01,
31120,Phường Cái Khế,3,phuong,92,2025-07-01,
"""


def test_units_import_resolves_parents_by_date_and_is_audited():
    report = services.import_units_csv(UNITS.encode(), actor=None, filename="units.csv")
    assert report.ok, report.errors
    assert report.created == 5
    old_ward = AdministrativeUnit.objects.get(code="31117")
    assert old_ward.parent.code == "916"
    new_ward = AdministrativeUnit.objects.get(code="31120")
    assert new_ward.parent.valid_from.isoformat() == "2025-07-01"
    assert AuditEvent.objects.filter(action="organizations.units_imported").count() == 1


def test_units_import_with_errors_saves_nothing_and_names_every_bad_row():
    bad = UNITS + (
        "31999,Phường Lỗi,4,phuong,916,,\n"
        "31998,Phường Ngày Sai,3,phuong,916,2025-13-01,\n"
        "31997,Phường Mồ Côi,3,phuong,999,,2025-06-30\n"
        "31996,,3,quan,916,,2025-06-30\n"
    )
    report = services.import_units_csv(bad, actor=None)
    assert not report.ok
    assert AdministrativeUnit.objects.count() == 0
    by_line = {(e.row, e.column) for e in report.errors}
    assert (7, "level") in by_line
    assert (8, "valid_from") in by_line
    assert (9, "parent_code") in by_line
    assert (10, "name") in by_line
    assert (10, "kind") in by_line  # a district kind at commune level
    assert "YYYY-MM-DD" in str(next(e for e in report.errors if e.row == 8))


def test_units_import_refuses_a_file_without_the_columns():
    report = services.import_units_csv(b"ma,ten\n1,x\n", actor=None)
    assert not report.ok
    assert "code" in report.errors[0].message


def test_units_import_refuses_a_file_that_is_not_utf8():
    report = services.import_units_csv("code,name\n1,Cần Thơ\n".encode("utf-16"), actor=None)
    assert "UTF-8" in report.errors[0].message


def test_export_then_import_is_a_round_trip():
    services.import_units_csv(UNITS, actor=None)
    exported = services.export_units_csv()
    report = services.import_units_csv(exported, actor=None)
    assert report.ok and report.created == 0 and report.updated == 5


def test_successions_link_the_unit_in_force_the_day_before():
    services.import_units_csv(UNITS, actor=None)
    report = services.import_successions_csv(
        "predecessor_code,successor_code,share,effective_date\n"
        "31117,31120,whole,2025-07-01\n92,92,whole,2025-07-01\n",
        actor=None,
    )
    assert report.ok, report.errors
    link = UnitSuccession.objects.get(predecessor__code="92")
    assert link.predecessor.valid_to.isoformat() == "2025-06-30"
    assert link.successor.valid_from.isoformat() == "2025-07-01"
    wrong = services.import_successions_csv(
        "predecessor_code,successor_code,share,effective_date\n31120,31117,half,2024-01-01\n",
        actor=None,
    )
    assert [e.column for e in wrong.errors] == ["share"]


AGENCIES = """code,name,kind,parent_code,unit_code,valid_from,valid_to,short_name
000.00.03.H13,Sở Tư pháp,so,000.00.00.H13,,,,STP
000.00.00.H13,Ủy ban nhân dân thành phố Cần Thơ,ubnd,,,,,
000.01.03.H13,Trung tâm Trợ giúp pháp lý,su_nghiep,000.00.03.H13,,,,
"""


def test_agencies_import_places_parents_first_and_builds_paths():
    report = services.import_agencies_csv(AGENCIES, actor=None)
    assert report.ok, report.errors
    assert report.created == 3
    city = Agency.objects.get(code="000.00.00.H13")
    aid = Agency.objects.get(code="000.01.03.H13")
    assert aid.path.startswith(city.path) and aid.path.count("/") == 4
    assert AuditEvent.objects.filter(action="organizations.agency_created").count() == 3


def test_agencies_import_with_errors_saves_nothing():
    bad = AGENCIES + (
        "000.00.3.H13,Sở Sai Mã,so,000.00.00.H13,,,,\n"
        "000.00.05.H13,Sở Công Thương,so,000.00.99.H13,,,,\n"
        "000.00.06.H13,Sở Nông nghiệp,cuc,000.00.00.H13,,,,\n"
        "000.00.07.H13,Sở Xây dựng,so,000.00.00.H13,99999,,,\n"
        "000.00.03.H13,Sở Tư pháp lần hai,so,000.00.00.H13,,,,\n"
    )
    report = services.import_agencies_csv(bad, actor=None)
    assert Agency.objects.count() == 0
    assert {(e.row, e.column) for e in report.errors} == {
        (5, "code"),
        (6, "parent_code"),
        (7, "kind"),
        (8, "unit_code"),
        (9, "code"),
    }
    assert "000.00.01.H13" in next(e.message for e in report.errors if e.row == 5)


def test_agency_parent_loop_is_refused():
    services.import_agencies_csv(AGENCIES, actor=None)
    loop = (
        "code,name,kind,parent_code,unit_code,valid_from,valid_to\n"
        "000.00.00.H13,Ủy ban nhân dân thành phố Cần Thơ,ubnd,000.01.03.H13,,,\n"
    )
    report = services.import_agencies_csv(loop, actor=None)
    assert not report.ok
    assert Agency.objects.get(code="000.00.00.H13").parent is None


def test_agencies_export_round_trip():
    services.import_agencies_csv(AGENCIES, actor=None)
    report = services.import_agencies_csv(services.export_agencies_csv(), actor=None)
    assert report.ok and report.updated == 3


def test_commands_import_and_export(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    good = tmp_path / "units.csv"
    good.write_text(UNITS, encoding="utf-8")
    call_command("import_organizations", "units", str(good))
    assert AdministrativeUnit.objects.count() == 5
    call_command("export_organizations", "units")
    assert "31117,Phường Cái Khế,3,phuong,916" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(UNITS + "1,x,9,xa,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_organizations", "units", str(bad))
