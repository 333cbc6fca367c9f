import io
import json

import pytest
from openpyxl import load_workbook

from egov.catalog import exchange
from egov.catalog.models import Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db


def _tables(procedures, requirements=(), fees=()):
    def table(sheet, rows):
        return exchange.Table(sheet, [(line, row) for line, row in enumerate(rows, start=2)])

    return {
        "procedures": table("procedures", procedures),
        "requirements": table("requirements", requirements),
        "fees": table("fees", fees),
    }


def _procedure_row(agencies, **overrides):
    schema = {
        "type": "object",
        "properties": {"so_ban": {"type": "integer", "title": "Số bản", "minimum": 1}},
        "required": ["so_ban"],
    }
    workflow = [
        {
            "code": "nhan",
            "name": "Tiếp nhận",
            "action": "receive",
            "role": "desk_officer",
            "agency_role": "receiving",
            "duration": "1",
        },
        {
            "code": "tra",
            "name": "Trả",
            "action": "return",
            "role": "desk_officer",
            "agency_role": "receiving",
            "duration": "1",
        },
    ]
    row = {
        "code": "1.009999",
        "owner_agency": agencies["justice"].code,
        "name": "Cấp bản sao trích lục hộ tịch",
        "field_code": "ho_tich",
        "field_name": "Hộ tịch",
        "level": "commune",
        "deciding_agency": "",
        "receiving_agencies": "",
        "online_mode": "full",
        "legacy_service_level": "4",
        "time_limit": "2",
        "time_unit": "working_days",
        "legal_bases": "Luật Hộ tịch\nNghị định 123/2015/NĐ-CP",
        "results": "Bản sao trích lục",
        "steps": "Nộp tờ khai\nNhận kết quả",
        "form_schema": json.dumps(schema),
        "form_ui": "",
        "workflow": json.dumps(workflow),
        "effective_from": "2025-07-01",
        "change_note": "Nhập từ Excel",
    }
    row.update(overrides)
    return row


REQUIREMENT = {
    "procedure_code": "1.009999",
    "name": "Tờ khai cấp bản sao trích lục",
    "originals": "1",
    "copies": "0",
    "mandatory": "có",
    "accepted_types": "pdf, jpg",
}
FEE = {
    "procedure_code": "1.009999",
    "name": "Lệ phí cấp bản sao",
    "kind": "le_phi",
    "amount": "0",
    "rule": json.dumps({"type": "per_unit", "field": "so_ban", "amount": 8000}),
}


def test_import_creates_and_publishes(agencies):
    report = exchange.import_tables(
        _tables([_procedure_row(agencies)], [REQUIREMENT], [FEE]), actor=None
    )
    assert report.ok, report.errors
    version = ProcedureVersion.objects.get(procedure__code="1.009999")
    assert version.status == "published" and version.legal_bases.count("\n") == 1
    assert version.fees.get().rule["amount"] == 8000
    assert version.requirements.get().accepted_types == ["pdf", "jpg"]


def test_import_of_a_known_code_makes_a_new_version(agencies):
    exchange.import_tables(_tables([_procedure_row(agencies)], [REQUIREMENT], [FEE]), actor=None)
    row = _procedure_row(
        agencies, name="Cấp bản sao trích lục hộ tịch (sửa đổi)", effective_from="2026-01-01"
    )
    report = exchange.import_tables(_tables([row], [REQUIREMENT], [FEE]), actor=None)
    assert report.ok and report.updated == 1
    numbers = list(Procedure.objects.get(code="1.009999").versions.values_list("number", "status"))
    assert sorted(numbers) == [(1, "published"), (2, "published")]


def test_errors_name_sheet_line_and_column_and_nothing_is_saved(agencies):
    rows = [
        _procedure_row(agencies, level="huyen", time_limit="hai"),
        _procedure_row(
            agencies, code="1.009998", owner_agency="000.00.99.H13", form_schema="{not json"
        ),
    ]
    requirements = [
        REQUIREMENT,
        {**REQUIREMENT, "procedure_code": "9.999999"},
        {**REQUIREMENT, "copies": "một"},
    ]
    fees = [{**FEE, "amount": "50.000đ"}]
    report = exchange.import_tables(_tables(rows, requirements, fees), actor=None)
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert {
        (2, "procedures.level"),
        (2, "procedures.time_limit"),
        (3, "procedures.owner_agency"),
        (3, "procedures.form_schema"),
        (3, "requirements.procedure_code"),
        (4, "requirements.copies"),
        (2, "fees.amount"),
    } <= found
    assert not Procedure.objects.exists()


def test_a_version_that_cannot_be_published_rolls_everything_back(agencies):
    good = _procedure_row(agencies, code="1.009997")
    bad = _procedure_row(agencies, workflow="[]")  # no steps: cannot publish
    report = exchange.import_tables(
        _tables([good, bad], [REQUIREMENT, {**REQUIREMENT, "procedure_code": "1.009997"}]),
        actor=None,
    )
    assert not report.ok
    assert "1.009999" in report.errors[0].message
    assert not Procedure.objects.exists()


def test_scoped_import_refuses_another_agencys_procedures(agencies):
    row = _procedure_row(agencies, owner_agency=agencies["health"].code)
    report = exchange.import_tables(
        _tables([row], [REQUIREMENT]), actor=None, allowed_owners={agencies["justice"].code}
    )
    assert [e.column for e in report.errors] == ["procedures.owner_agency"]


def test_workbook_round_trip(catalogue):
    data = exchange.export_workbook()
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["procedures", "requirements", "fees"]
    assert book["procedures"].max_row == 1 + len(catalogue)
    report = exchange.import_tables(exchange.read_workbook(data), actor=None)
    assert report.ok, report.errors
    assert report.updated == len(catalogue)
    assert ProcedureVersion.objects.filter(number=2, status="published").count() == len(catalogue)


def test_csv_files_round_trip(catalogue):
    files = {name: text.encode() for name, text in exchange.export_csv_files().items()}
    report = exchange.import_tables(exchange.read_csv_files(files), actor=None)
    assert report.ok, report.errors


def test_not_a_workbook():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        exchange.read_workbook(b"PK\x03\x04 not really")


def test_bundle_moves_every_version_to_another_installation(catalogue, django_db_blocker):
    from egov.catalog import services

    draft = services.start_draft(catalogue["birth"].procedure, actor=None)
    services.update_draft(draft, actor=None, name="Đăng ký khai sinh (dự thảo)")
    bundle = json.loads(json.dumps(exchange.export_bundle()))
    assert len(bundle["versions"]) == len(catalogue) + 1
    # A fresh installation: same agencies, empty catalogue.
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    report = exchange.import_bundle(bundle, actor=None)
    assert report.ok, report.errors
    birth = Procedure.objects.get(code="1.001193")
    assert list(birth.versions.order_by("number").values_list("number", "status")) == [
        (1, "published"),
        (2, "draft"),
    ]
    assert birth.versions.get(number=1).workflow_transitions.count() > 0
    again = exchange.import_bundle(bundle, actor=None)
    assert again.ok and again.created == 0  # idempotent


def test_bundle_commands(catalogue, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    call_command("export_catalog")
    path = tmp_path / "catalogue.json"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    call_command("import_catalog", str(path))
    assert "0 versions added" in capsys.readouterr().out
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path))
