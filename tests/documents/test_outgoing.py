"""Draft, review with comments, approval with the leader's signature, issue by the clerk with the
agency's signature and seal; a secret document refused; the signed PDF checked by pdfsig."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from pyhanko.pdf_utils.reader import PdfFileReader

from egov.core.models import AuditEvent
from egov.documents import pdfdoc, services
from egov.documents.models import Comment, DocumentFile, OfficialDocument, RegisterSequence
from egov.signatures import verification
from tests.signatures.fixtures import make_pdf, nss_database, pdfsig

pytestmark = pytest.mark.django_db


def test_a_secret_document_is_refused_and_nothing_is_written(setup_agencies, people):
    for mark in ("mat", "toi_mat", "tuyet_mat"):
        with pytest.raises(ValidationError, match="bí mật nhà nước"):
            services.create_draft(
                setup_agencies["justice"],
                actor=people["specialist"],
                subject="Kế hoạch",
                body="…",
                secrecy=mark,
            )
    assert not OfficialDocument.objects.exists()


def test_bad_drafts_are_refused_with_what_to_fix(setup_agencies, people):
    justice = setup_agencies["justice"]
    with pytest.raises(ValidationError, match="trích yếu"):
        services.create_draft(justice, actor=people["specialist"], subject="  ", body="x")
    with pytest.raises(ValidationError, match="Word hoặc PDF"):
        services.create_draft(justice, actor=people["specialist"], subject="Về việc", body="")
    with pytest.raises(ValidationError, match="không thuộc các loại"):
        services.create_draft(
            justice,
            actor=people["specialist"],
            subject="Về việc",
            draft_file=("a.docx", b"not a word file at all"),
        )
    with pytest.raises(PermissionDenied):
        services.create_draft(justice, actor=people["health_clerk"], subject="Về việc", body="x")
    assert not OfficialDocument.objects.exists()


def test_review_with_comments_then_approval_and_issue(
    draft, people, certificates, tmp_path, dev_pki
):
    document = draft()
    services.submit(document, actor=people["specialist"])
    with pytest.raises(PermissionDenied):
        services.issue(document, actor=people["clerk"]) if False else services.approve_and_sign(
            document, actor=people["clerk"]
        )
    services.return_for_changes(
        document, actor=people["leader"], comment="Bổ sung thời hạn gửi số liệu."
    )
    document.refresh_from_db()
    assert document.state == "returned"
    assert Comment.objects.get(document=document).text == "Bổ sung thời hạn gửi số liệu."
    with pytest.raises(ValidationError):
        services.issue(document, actor=people["clerk"])  # not approved yet
    services.revise(document, actor=people["specialist"], body=document.body + "\nĐã bổ sung.")
    services.submit(document, actor=people["specialist"])
    services.approve_and_sign(document, actor=people["leader"], comment="Đồng ý ban hành.")
    document.refresh_from_db()
    assert document.state == "approved" and document.number is None
    services.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    assert document.state == "issued"
    assert document.reference == "01/STP-VP"
    assert list(Comment.objects.filter(document=document).values_list("text", flat=True)) == [
        "Bổ sung thời hạn gửi số liệu.",
        "Đồng ý ban hành.",
    ]

    signed = services.file_of(document, DocumentFile.Role.SIGNED)
    data = services.read(signed)
    assert pdfdoc.field_values(data) == {
        "so_ky_hieu": "Số: 01/STP-VP",
        "ngay_ban_hanh": pdfdoc.date_line(document, document.issued_at.astimezone()),
    }
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert [s.signer_cert.subject.native["common_name"] for s in embedded] == [
        "Võ Minh Lãnh",
        "Sở Tư pháp thành phố Cần Thơ",
    ]
    report = verification.verify_pdf(data)
    assert report.verdict == "valid", [s.messages for s in report.signatures]
    assert report.registered.reference_id == str(document.public_id)

    nss = nss_database(dev_pki, tmp_path / "nss")
    path = tmp_path / "issued.pdf"
    path.write_bytes(data)
    output = pdfsig(path, nss)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    assert "Signer Certificate Common Name: Võ Minh Lãnh" in output
    assert "Signer Certificate Common Name: Sở Tư pháp thành phố Cần Thơ" in output

    actions = set(
        AuditEvent.objects.filter(object_id=str(document.pk)).values_list("action", flat=True)
    )
    assert {
        "documents.drafted",
        "documents.submitted",
        "documents.returned",
        "documents.approved",
        "documents.issued",
    } <= actions


def test_word_draft_and_an_attachment_signed_by_the_agency(draft, people, certificates):
    import docx

    buffer = io.BytesIO()
    word = docx.Document()
    word.add_paragraph("Kính gửi Sở Y tế, nội dung từ tệp Word.")
    word.save(buffer)
    document = draft(
        body="",
        draft_file=("du-thao.docx", buffer.getvalue()),
        attachments=[("phu-luc.pdf", make_pdf(1, "PHU LUC"))],
        document_type="KH",
    )
    services.submit(document, actor=people["specialist"])
    services.approve_and_sign(document, actor=people["leader"])
    services.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    assert document.reference == "01/KH-STP"
    text = services.read(services.file_of(document, DocumentFile.Role.SIGNED))
    assert b"%PDF" in text[:10]
    appendix = document.files.get(role=DocumentFile.Role.APPENDIX)
    assert appendix.name.startswith("01_KH-STP")
    report = verification.verify_pdf(services.read(appendix))
    assert report.verdict == "valid"
    assert report.signatures[0].signer == "Sở Tư pháp thành phố Cần Thơ"


def test_a_failed_agency_signature_gives_the_number_back(draft, people, certificates):
    from egov.signatures import services as signatures

    document = draft()
    services.submit(document, actor=people["specialist"])
    services.approve_and_sign(document, actor=people["leader"])
    signatures.revoke_certificate(certificates["agency"], actor=None, reason="key lost")
    with pytest.raises(ValidationError, match="chứng thư"):
        services.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    assert document.state == "approved" and document.number is None
    assert not RegisterSequence.objects.filter(last__gt=0).exists()


def test_only_the_chosen_leader_approves_and_only_a_clerk_issues(
    draft, people, certificates, make_staff, setup_agencies
):
    from egov.accounts.models import Role

    other = make_staff("lanhdao2", setup_agencies["justice"], Role.LEADER)
    document = draft()
    services.submit(document, actor=people["specialist"])
    with pytest.raises(PermissionDenied):
        services.approve_and_sign(document, actor=other)
    services.approve_and_sign(document, actor=people["leader"])
    with pytest.raises(PermissionDenied):
        services.issue(document, actor=people["specialist"])
    with pytest.raises(PermissionDenied):
        services.issue(document, actor=people["health_clerk"])


def test_a_pdf_draft_takes_its_number_and_date_at_issue(
    draft, people, certificates, tmp_path, dev_pki
):
    """The PDF is signed as drafted, with the number and date fields where Phụ lục I puts them
    (ô 3 under the agency's name, ô 4 under the motto), filled by the clerk at issue."""
    uploaded = make_pdf(2, "DU THAO KE HOACH")
    document = draft(body="", draft_file=("du-thao.pdf", uploaded), document_type="KH")
    services.submit(document, actor=people["specialist"])
    services.approve_and_sign(document, actor=people["leader"])
    approved = services.read(services.file_of(document, DocumentFile.Role.DRAFT))
    assert approved.startswith(uploaded)  # the draft's pages are kept, revisions added
    assert pdfdoc.field_values(approved)["so_ky_hieu"] == "Số:        /KH-STP"
    services.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    assert document.reference == "01/KH-STP"

    data = services.read(services.file_of(document, DocumentFile.Role.SIGNED))
    assert data.startswith(uploaded)
    assert pdfdoc.field_values(data) == {
        "so_ky_hieu": "Số: 01/KH-STP",
        "ngay_ban_hanh": pdfdoc.date_line(document, document.issued_at.astimezone()),
    }
    reader = PdfFileReader(io.BytesIO(data))
    first_page = next(iter(reader.root["/Pages"]["/Kids"]))
    fields = {
        str(f.get_object()["/T"]): f.get_object() for f in reader.root["/AcroForm"]["/Fields"]
    }
    number = fields["so_ky_hieu"]
    assert number.raw_get("/P").idnum == first_page.idnum and "/AP" in number
    x1, _y1, _x2, y2 = (float(v) for v in number["/Rect"])
    assert x1 == pytest.approx(30 * 72 / 25.4, abs=0.5)  # mm from the left, A4 scaled
    assert y2 == pytest.approx(842 - 34 * 72 / 25.4, abs=0.5)
    page, box = pdfdoc.signer_box_of(data)
    assert page == 1  # the leader signs on the last page, the agency beside it
    assert box[0] > 595 / 2

    report = verification.verify_pdf(data)
    assert report.verdict == "valid", [s.messages for s in report.signatures]
    nss = nss_database(dev_pki, tmp_path / "nss")
    path = tmp_path / "issued.pdf"
    path.write_bytes(data)
    output = pdfsig(path, nss)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output


def test_a_damaged_pdf_draft_is_refused_at_approval(draft, people, certificates):
    document = draft(body="", draft_file=("du-thao.pdf", make_pdf()))
    services.submit(document, actor=people["specialist"])
    item = services.file_of(document, DocumentFile.Role.DRAFT)
    item.content.save(item.content.name, ContentFile(b"%PDF-1.7\nnot really"))
    with pytest.raises(ValidationError, match="PDF"):
        services.approve_and_sign(document, actor=people["leader"])
    document.refresh_from_db()
    assert document.state == "submitted"
