"""Result templates (mẫu kết quả): the markup, the placeholders, the sandbox, the PDF with
Vietnamese text, and the template travelling with a copied procedure and the draft's changes."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError

from egov.catalog import diff, result_templates, services
from egov.catalog.models import ResultTemplate
from egov.core.models import AuditEvent

BODY = """# Điều 1
Cấp giấy cho ông/bà **{{ ho_so.nguoi_nop }}**, trẻ {{ to_khai.ho_ten_tre }}.
Giới tính: {{ to_khai.gioi_tinh }}; ngày sinh {{ to_khai.ngay_sinh }}.

| Mã hồ sơ | {{ ho_so.ma }} |
|---|---|
| Hiệu lực đến | {{ ho_so.hieu_luc_den }} |

- Số: {{ ho_so.so_quyet_dinh }}
"""

TEMPLATE = {
    "parent_agency": "UBND thành phố Cần Thơ",
    "place": "Cần Thơ",
    "title": "Giấy chứng nhận đăng ký khai sinh",
    "body": BODY,
    "signer_title": "Giám đốc",
    "validity_months": 12,
    "recipients": "Như trên;\nLưu: VT.",
}


def pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_the_markup_is_escaped_and_filled():
    html = result_templates.body_html(
        "# Tiêu đề\nDòng **đậm** {{ to_khai.x }}\n<script>alert(1)</script>\n\n| a | b |\n- một",
        {"to_khai.x": "<b>Ông Ấn</b> **x**"},
    )
    assert "<h2>Tiêu đề</h2>" in html
    assert "<strong>đậm</strong>" in html
    assert "&lt;b&gt;Ông Ấn&lt;/b&gt; **x**" in html  # an answer is text, never markup
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<table><tr><td>a</td><td>b</td></tr></table>" in html
    assert "<ul><li>một</li></ul>" in html


@pytest.mark.parametrize(
    "body",
    [
        "{{ ho_so.nguoi_nop.__class__ }}",
        "{{ dossier.applicant.password }}",
        "{{ to_khai.khong_co }}",
        "{% load static %}{% debug %}",
        "{{ settings.SECRET_KEY }}",
        "{# a comment #}",
    ],
)
def test_template_code_and_unknown_placeholders_are_refused(catalogue, body):
    draft = services.start_draft(catalogue["birth"].procedure, actor=None)
    with pytest.raises(ValidationError) as error:
        services.save_result_template(draft, actor=None, **{**TEMPLATE, "body": body})
    assert "body" in error.value.message_dict
    assert not ResultTemplate.objects.exists()


def test_an_unknown_value_renders_empty_never_an_attribute():
    """Even a body that bypassed the check reaches nothing: a placeholder is a dictionary key."""
    html = result_templates.body_html("{{ ho_so.__class__ }}{{ to_khai.x.upper }}", {})
    assert html == '<p><span class="value"></span><span class="value"></span></p>'


def test_the_result_paper_in_vietnamese(catalogue, tmp_path):
    version = catalogue["birth"]
    draft = services.start_draft(version.procedure, actor=None)
    template = services.save_result_template(draft, actor=None, **TEMPLATE)
    values = result_templates.answer_values(
        draft,
        {"ho_ten_tre": "Lê Thị Ngọc Ánh", "gioi_tinh": "Nữ", "ngay_sinh": "2026-01-02"},
    ) | result_templates.decision_values(
        template,
        code="000.00.03.H13-260115-0003",
        applicant="Nguyễn Văn Đức",
        received=datetime.date(2026, 1, 15),
        agency="Sở Tư pháp",
        number="15/GCN-STP",
        day=datetime.date(2026, 1, 31),
        signer="Trần Thị Bình",
        procedure=draft.name,
    )
    data = result_templates.render_pdf(
        template, values, agency_name="Sở Tư pháp", day=datetime.date(2026, 1, 31)
    )
    text = pdf_text(tmp_path, data)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND THÀNH PHỐ CẦN THƠ",
        "SỞ TƯ PHÁP",
        "Số: 15/GCN-STP",
        "Cần Thơ, ngày 31 tháng 01 năm 2026",
        "GIẤY CHỨNG NHẬN ĐĂNG KÝ KHAI SINH",
        "Nguyễn Văn Đức",
        "Lê Thị Ngọc Ánh",
        "Giới tính: Nữ; ngày sinh 02/01/2026",
        "000.00.03.H13-260115-0003",
        "31/01/2027",  # valid for twelve months
        "GIÁM ĐỐC",
        "Trần Thị Bình",
        "Nơi nhận:",
    ]:
        assert expected in text, expected


def test_the_preview_uses_sample_answers(catalogue, tmp_path):
    draft = services.start_draft(catalogue["birth"].procedure, actor=None)
    template = services.save_result_template(draft, actor=None, **TEMPLATE)
    text = pdf_text(tmp_path, result_templates.preview_pdf(draft, template))
    assert "‹Họ, chữ đệm, tên của trẻ›" in text
    assert "Giới tính: Nam; ngày sinh 15/01/2026" in text
    assert "Nguyễn Văn An" in text


def test_saving_is_audited_and_only_on_a_draft(catalogue):
    published = catalogue["birth"]
    with pytest.raises(ValidationError):
        services.save_result_template(published, actor=None, **TEMPLATE)
    draft = services.start_draft(published.procedure, actor=None)
    services.save_result_template(draft, actor=None, **TEMPLATE)
    services.save_result_template(draft, actor=None, **{**TEMPLATE, "title": "Trích lục"})
    events = AuditEvent.objects.filter(action="catalog.result_template_changed").order_by("id")
    assert events.count() == 2
    assert events.last().before["title"] == TEMPLATE["title"]
    assert events.last().after["title"] == "Trích lục"
    services.remove_result_template(draft, actor=None)
    assert not ResultTemplate.objects.filter(version=draft).exists()


def test_copies_and_the_draft_changes_carry_the_template(catalogue):
    published = catalogue["birth"]
    draft = services.start_draft(published.procedure, actor=None)
    services.save_result_template(draft, actor=None, **TEMPLATE)
    lines = "\n".join(s for _section, s in diff.changes(published, draft))
    assert TEMPLATE["title"] in lines
    # Published with its template, the next draft and a copied procedure keep it.
    services.publish(draft, actor=None, effective_from=datetime.date(2025, 8, 1))
    next_draft = services.start_draft(published.procedure, actor=None)
    assert next_draft.result_template.body == BODY
    copy = services.copy_procedure(
        next_draft,
        actor=None,
        code="1.999999",
        owner_agency=published.procedure.owner_agency,
        name="Đăng ký khai sinh (bản sao)",
    )
    assert copy.result_template.title == TEMPLATE["title"]
    assert copy.result_template.pk != next_draft.result_template.pk
    services.save_result_template(
        next_draft, actor=None, **{**TEMPLATE, "body": BODY + "Ghi chú: {{ ho_so.ma }}"}
    )
    lines = "\n".join(s for _section, s in diff.changes(draft, next_draft))
    assert "Ghi chú: {{ ho_so.ma }}" in lines


def test_the_catalogue_bundle_carries_the_template(catalogue):
    import json

    from egov.catalog import exchange
    from egov.catalog.models import Procedure, ProcedureVersion

    draft = services.start_draft(catalogue["birth"].procedure, actor=None)
    services.save_result_template(draft, actor=None, **TEMPLATE)
    bundle = json.loads(json.dumps(exchange.export_bundle()))
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    assert exchange.import_bundle(bundle, actor=None).ok
    moved = ResultTemplate.objects.get(version__procedure__code="1.001193")
    assert (moved.body, moved.validity_months) == (BODY, 12)
    assert moved.recipients == TEMPLATE["recipients"]
    assert ResultTemplate.objects.count() == 1  # only the draft had one
