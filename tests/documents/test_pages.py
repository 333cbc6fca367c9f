"""The staff pages: lists, drafting, the actions on the document page, paper registration,
registers and their exports, search; another agency's document is a 404."""

import io

import pytest
from openpyxl import load_workbook

from egov.documents import delivery
from egov.documents.models import OfficialDocument, Recipient
from tests.signatures.fixtures import make_pdf

pytestmark = pytest.mark.django_db


def test_another_agencys_document_is_a_404(client, draft, make_staff, agencies):
    from egov.accounts.models import Role

    document = draft()
    outsider = make_staff("vanthu.tgpl", agencies["legal_aid"], Role.CLERK)
    client.force_login(outsider)
    assert client.get(f"/staff/documents/{document.public_id}/").status_code == 404
    assert client.post(f"/staff/documents/{document.public_id}/submit/").status_code == 404
    item = document.files.first()
    assert (
        item is None
        or client.get(f"/staff/documents/{document.public_id}/files/{item.pk}/").status_code == 404
    )


def test_draft_through_the_form_and_submit(client, people, setup_agencies, office):
    client.force_login(people["specialist"])
    page = client.get("/staff/documents/new/")
    assert page.status_code == 200
    assert "Soạn văn bản" in page.content.decode()
    refused = client.post(
        "/staff/documents/new/",
        {
            "agency": setup_agencies["justice"].pk,
            "document_type": "CV",
            "subject": "Kế hoạch",
            "body": "…",
            "urgency": "0",
            "secrecy": "toi_mat",
            "approver": people["leader"].pk,
            "signer_title": "Giám đốc",
        },
    )
    assert refused.status_code == 400 and "bí mật nhà nước" in refused.content.decode()
    bad = client.post(
        "/staff/documents/new/",
        {
            "agency": setup_agencies["justice"].pk,
            "document_type": "CV",
            "subject": "Về việc",
            "body": "x",
            "urgency": "0",
            "approver": people["leader"].pk,
            "signer_title": "GĐ",
            "external_recipients": "H62 Sở Y tế",
            "email_recipients": "not-an-address",
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Dòng 1" in text and "not-an-address" in text
    response = client.post(
        "/staff/documents/new/",
        {
            "agency": setup_agencies["justice"].pk,
            "document_type": "CV",
            "subject": "Về việc cung cấp số liệu",
            "body": "Nội dung.",
            "urgency": "1",
            "drafting_unit": office.pk,
            "approver": people["leader"].pk,
            "signer_title": "Giám đốc",
            "platform_recipients": [setup_agencies["health"].pk],
            "external_recipients": "000.00.10.H62 Sở Y tế tỉnh Vĩnh Long",
            "email_recipients": "nguoidan@example.vn",
        },
    )
    document = OfficialDocument.objects.get()
    assert response.status_code == 302
    assert sorted(document.recipients.values_list("kind", flat=True)) == [
        "email",
        "external",
        "platform",
    ]
    client.post(f"/staff/documents/{document.public_id}/submit/")
    document.refresh_from_db()
    assert document.state == "submitted"


def test_leader_clerk_and_receiver_act_on_the_document_page(
    client, draft, people, certificates, setup_agencies, mailoutbox
):
    document = draft(
        recipients=[
            {"kind": "platform", "agency": setup_agencies["health"]},
            {"kind": "email", "email": "nguoidan@example.vn", "name": "Nguyễn Văn Dân"},
        ]
    )
    client.force_login(people["specialist"])
    client.post(f"/staff/documents/{document.public_id}/submit/")
    client.force_login(people["leader"])
    page = client.get(f"/staff/documents/{document.public_id}/").content.decode()
    assert "Duyệt và ký" in page
    client.post(f"/staff/documents/{document.public_id}/approve/", {"comment": "Đồng ý."})
    client.force_login(people["clerk"])
    page = client.get(f"/staff/documents/{document.public_id}/").content.decode()
    assert "Lấy số và phát hành" in page
    client.post(f"/staff/documents/{document.public_id}/issue/", {"register": ""})
    document.refresh_from_db()
    assert document.state == "issued" and document.reference == "01/STP-VP"

    from egov.notifications.models import Notification

    email = Recipient.objects.get(document=document, kind="email")
    assert email.delivered_at is not None
    sent = Notification.objects.get(event="documents.sent_by_email")
    assert sent.address == "nguoidan@example.vn" and "01/STP-VP" in sent.subject
    assert "/van-ban/" in sent.body
    link = delivery.public_link(document)
    copy = client.get(link.split("127.0.0.1:8000", 1)[-1])
    assert copy.status_code == 200 and copy["Content-Type"] == "application/pdf"
    assert client.get("/van-ban/forged-token/").status_code == 404

    received = Recipient.objects.get(document=document, kind="platform").copy
    client.force_login(people["health_clerk"])
    assert client.get("/staff/documents/?tab=arrived").content.decode().count(document.subject) == 1
    client.post(f"/staff/documents/{received.public_id}/register/")
    client.force_login(people["health_leader"])
    bad = client.post(f"/staff/documents/{received.public_id}/direct/", {"instruction": ""})
    assert bad.status_code == 302
    client.post(
        f"/staff/documents/{received.public_id}/direct/",
        {
            "instruction": "Giao chuyên viên xử lý.",
            "handler": people["health_handler"].pk,
            "days": 5,
        },
    )
    received.refresh_from_db()
    assert received.state == "in_progress" and received.handling_due is not None
    client.force_login(people["health_handler"])
    assert received.subject in client.get("/staff/documents/?tab=mine").content.decode()
    client.post(f"/staff/documents/{received.public_id}/progress/", {"text": "Đang tổng hợp."})
    client.post(f"/staff/documents/{received.public_id}/complete/", {"note": "Xong."})
    received.refresh_from_db()
    assert received.state == "done"
    assert Recipient.objects.get(document=document, kind="platform").status == "06"


def test_paper_registration_page(client, people, setup_agencies):
    client.force_login(people["health_clerk"])
    scan = io.BytesIO(make_pdf())
    scan.name = "cong-van.pdf"
    response = client.post(
        "/staff/documents/paper/",
        {
            "agency": setup_agencies["health"].pk,
            "sender_name": "Công an thành phố",
            "reference": "12/CAT-PV01",
            "document_type": "CV",
            "subject": "Về việc phối hợp",
            "urgency": "0",
            "scan": scan,
        },
    )
    document = OfficialDocument.objects.get()
    assert response.status_code == 302
    assert (document.number, document.channel, document.state) == (1, "paper", "registered")


def test_registers_exports_and_search(client, issued, people):
    document = issued()
    client.force_login(people["clerk"])
    page = client.get("/staff/documents/registers/")
    assert page.status_code == 200 and "Sổ đăng ký văn bản đi" in page.content.decode()
    register = document.register
    day = document.document_date.isoformat()
    pdf = client.get(
        f"/staff/documents/registers/export/{register.pk}.pdf", {"date_from": day, "date_to": day}
    )
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    xlsx = client.get(
        f"/staff/documents/registers/export/{register.pk}.xlsx", {"date_from": day, "date_to": day}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for cell in sheet[6]]
    assert values[0] == "01/STP-VP" and document.subject in values[2]
    bad = client.get(
        f"/staff/documents/registers/export/{register.pk}.pdf",
        {"date_from": day, "date_to": "2000-01-01"},
    )
    assert bad.status_code == 302
    found = client.get("/staff/documents/search/", {"q": "giam dinh phap y"}).content.decode()
    assert "01/STP-VP" in found
    client.force_login(people["health_clerk"])
    assert (
        client.get(
            f"/staff/documents/registers/export/{register.pk}.pdf",
            {"date_from": day, "date_to": day},
        ).status_code
        == 404
    )


def test_api_search_detail_file_and_register(client, issued, people, make_staff, agencies):
    from egov.accounts.models import Role

    document = issued()
    client.force_login(people["clerk"])
    found = client.get("/api/v1/documents", {"q": "giam dinh"}).json()
    assert found["count"] == 1 and found["items"][0]["reference"] == "01/STP-VP"
    detail = client.get(f"/api/v1/documents/{document.public_id}").json()
    assert detail["recipients"][0]["status"] == "01"
    pdf = client.get(f"/api/v1/documents/{document.public_id}/file")
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert client.get("/api/v1/documents", {"direction": "x"}).status_code == 422

    copy = Recipient.objects.get(document=document).copy
    assert client.post(f"/api/v1/documents/{copy.public_id}/register").status_code == 404
    client.force_login(people["health_clerk"])
    answer = client.post(f"/api/v1/documents/{copy.public_id}/register")
    assert answer.status_code == 200 and answer.json()["state"] == "registered"
    again = client.post(f"/api/v1/documents/{copy.public_id}/register")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    outsider = make_staff("vanthu.tgpl", agencies["legal_aid"], Role.CLERK)
    client.force_login(outsider)
    assert client.get(f"/api/v1/documents/{document.public_id}").status_code == 404


def test_api_search_counts_up_to_the_cap(client, issued, people, monkeypatch):
    """Past the cap the API says there are more instead of counting every match."""
    issued()
    issued()
    client.force_login(people["clerk"])
    found = client.get("/api/v1/documents", {"q": "giam dinh"}).json()
    assert (found["count"], found["more"]) == (2, False)
    monkeypatch.setattr("egov.core.paging.SEARCH_CAP", 1)
    found = client.get("/api/v1/documents", {"q": "giam dinh"}).json()
    assert (found["count"], found["more"]) == (2, True)
    assert len(found["items"]) == 2
    assert client.get("/api/v1/documents", {"q": "giam dinh", "page": 9}).json()["items"] == []
