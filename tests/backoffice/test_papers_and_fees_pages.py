"""The designer's papers and fees editors, and the fee "try it" box: no JSON typed."""

from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import Role
from egov.catalog import fee_builder
from egov.core.models import AuditEvent
from tests.backoffice.test_form_builder_pages import editor, posted

PAPERS = "/staff/catalog/2.000815/papers/"
FEES = "/staff/catalog/2.000815/fees/"


def posted_with(formset, prefix, rows):
    data = posted(formset)
    data = {key.replace("f-", f"{prefix}-", 1): value for key, value in data.items()}
    start = len(formset.initial_forms)
    for offset, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{start + offset}-{key}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + max(len(rows), 1))
    return data


def test_editor_adds_papers_with_a_template_and_keeps_it(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    formset = client.get(PAPERS).context["formset"]
    data = posted_with(
        formset,
        "p",
        [
            {
                "name": "Bản chính giấy tờ cần chứng thực",
                "originals": "1",
                "copies": "0",
                "condition": "Khi nộp trực tiếp",
                "accepted_types": ["pdf", "jpg"],
                "registry": "civil_status",
                "ORDER": "2",
            }
        ],
    )
    data["p-0-template_file"] = SimpleUploadedFile("mau.docx", b"PK docx")
    data["p-0-template_title"] = "Mẫu tờ khai"
    assert client.post(PAPERS, data).status_code == 302
    draft = catalogue["copy"].procedure.versions.get(status="draft")
    first, second = draft.requirements.all()
    assert first.template_file.name.endswith(".docx") and first.template_name == "Mẫu tờ khai"
    assert second.registry == "civil_status" and second.accepted_types == ["pdf", "jpg"]
    assert second.condition == "Khi nộp trực tiếp"
    # Saved again without a new file: the template stays; moved: the order changes.
    data = posted_with(client.get(PAPERS).context["formset"], "p", [])
    data["move"] = "1:up"
    assert client.post(PAPERS, data).status_code == 302
    first, second = draft.requirements.all()
    assert first.name == "Bản chính giấy tờ cần chứng thực" and second.template_file
    assert AuditEvent.objects.filter(action="catalog.requirements_changed").count() == 2


def test_each_fee_rule_round_trips_and_is_checked(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    formset = client.get(FEES).context["formset"]
    # The tiered fee of the fixture opens as tiers in words.
    assert formset.forms[0]["tiers"].value() == "2 | 2000\n | 1000"
    data = posted_with(
        formset,
        "fee",
        [
            {
                "name": "Lệ phí theo bản",
                "kind": "le_phi",
                "rule_type": "per_unit",
                "amount": "5000",
                "field": "so_ban",
                "ORDER": "2",
            },
            {
                "name": "Phí cố định",
                "kind": "phi",
                "rule_type": "fixed",
                "amount": "10000",
                "exempt_field": "so_ban",
                "exempt_values": "9",
                "ORDER": "3",
            },
        ],
    )
    data["fee-0-max"] = "50000"
    assert client.post(FEES, data).status_code == 302
    draft = catalogue["copy"].procedure.versions.get(status="draft")
    tiered, per_unit, fixed = draft.fees.all()
    assert tiered.rule["max"] == 50000
    assert per_unit.rule == {"type": "per_unit", "field": "so_ban", "amount": 5000}
    assert fixed.amount == 10000 and fixed.exemption_rule == {"field": "so_ban", "in": ["9"]}
    for fee in (tiered, per_unit, fixed):
        assert (
            fee_builder.to_fee(fee_builder.from_fee(fee, draft.form_schema), draft.form_schema)[
                "rule"
            ]
            == fee.rule
        )
    # A per-unit fee on a field that is not a number is refused in words, nothing saved.
    data = posted_with(
        client.get(FEES).context["formset"],
        "fee",
        [
            {
                "name": "Sai",
                "kind": "phi",
                "rule_type": "cases",
                "amount": "1",
                "field": "so_ban",
                "cases": "không có dấu gạch",
            }
        ],
    )
    page = client.post(FEES, data)
    assert page.status_code == 200
    assert "|" in " ".join(page.context["formset"].non_form_errors())
    assert draft.fees.count() == 3


def test_try_it_computes_the_fee_for_sample_answers(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    page = client.get(FEES, {"try": "1", "try-so_trang": "5", "try-so_ban": "2"})
    lines = page.context["try_lines"]
    # Tiered: 2 pages at 2,000 đ and 3 at 1,000 đ.
    assert [(line.name, line.amount) for line in lines] == [("Phí chứng thực bản sao", 7000)]
    page = client.get(FEES, {"try": "1", "try-so_trang": "", "try-so_ban": "2"})
    assert "try_lines" not in page.context and page.context["try_form"].errors


def test_cases_by_label_are_stored_by_code():
    schema = {
        "properties": {
            "hinh_thuc": {
                "type": "string",
                "enum": ["tai_quay", "buu_dien"],
                "enumNames": ["Tại quầy", "Bưu điện"],
            }
        }
    }
    fee = fee_builder.to_fee(
        {
            "name": "P",
            "kind": "phi",
            "rule_type": "cases",
            "amount": 3000,
            "field": "hinh_thuc",
            "cases": "Bưu điện | 20.000",
        },
        schema,
    )
    assert fee["rule"] == {
        "type": "cases",
        "field": "hinh_thuc",
        "cases": [{"equals": "buu_dien", "amount": 20000}],
        "default": 3000,
    }


def test_another_agencys_editor_cannot_open_them(staff_client, catalogue):
    editor(staff_client, catalogue)
    other, _user = staff_client(Role.CATALOGUE_EDITOR, "health", username="other")
    assert other.get(PAPERS).status_code == 404
    assert other.get(FEES).status_code == 404


WORKFLOW = "/staff/catalog/2.000815/workflow/"


def test_editor_builds_a_workflow_and_reads_the_checks_in_words(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    page = client.get(WORKFLOW)
    assert "<svg" in page.content.decode()
    assert any("sign the result" in n or "ký" in n for n in page.context["general"])
    formset = page.context["formset"]
    data = posted_with(
        formset,
        "s",
        [
            {
                "name": "Lãnh đạo ký",
                "action": "sign",
                "role": "leader",
                "agency_role": "deciding",
                "duration": "0",
                "ORDER": "3",
            }
        ],
    )
    data["s-2-ORDER"] = "4"
    assert client.post(WORKFLOW, data).status_code == 302
    draft = catalogue["copy"].procedure.versions.get(status="draft")
    assert [s.action for s in draft.workflow_steps.all()] == [
        "receive",
        "process",
        "sign",
        "return",
    ]
    page = client.get(WORKFLOW)
    assert page.context["general"] == []
    notes = {row.step.name: row for row in page.context["rows"]}
    assert notes["Lãnh đạo ký"].moves  # a sign step may send back to processing
    # The last step is made a signing step: the check is shown beside it, in words.
    data = posted_with(page.context["formset"], "s", [])
    data["s-3-action"] = "sign"
    client.post(WORKFLOW, data)
    rows = client.get(WORKFLOW).context["rows"]
    assert (
        rows[-1].notes and AuditEvent.objects.filter(action="catalog.workflow_changed").count() == 2
    )
