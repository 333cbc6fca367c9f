"""Verification of files handed in: each kind of bad file gets its own clear message."""

import datetime
import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from egov.signatures import services
from egov.signatures.verification import INVALID, VALID, verify_pdf
from tests.signatures.fixtures import make_pdf, sign_directly

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(agencies, agency_issued, import_agency_certificate):
    certificate = import_agency_certificate(agencies["justice"], agency_issued["ec-p256"])
    return services.sign_pdf(
        make_pdf(),
        signer_certificate=certificate,
        actor=None,
        level="B-T",
        reference=("dossiers.result", "7"),
        title="Giấy chứng nhận",
    )


def test_a_valid_registered_document(signed):
    report = verify_pdf(signed.data)
    assert report.verdict == VALID, report.signatures[0].messages
    signature = report.signatures[0]
    assert signature.signer == "Sở Tư pháp thành phố Cần Thơ"
    assert signature.level == "B-T" and signature.timestamp is not None
    assert signature.trusted and signature.intact and not signature.revoked
    assert report.registered == signed.document
    assert report.registered_kind == "Kết quả giải quyết thủ tục hành chính"


def test_a_corrupted_pdf(signed):
    report = verify_pdf(signed.data[: len(signed.data) // 3])
    assert report.verdict == INVALID and not report.readable
    assert "không phải là tài liệu PDF đọc được" in report.messages[0]
    assert report.registered is None
    garbage = verify_pdf(b"%PDF-1.7\n this is not really a PDF")
    assert not garbage.readable


def test_a_pdf_changed_inside_the_signed_bytes(signed):
    data = bytearray(signed.data)
    position = data.index(b"KET QUA")
    data[position : position + 7] = b"KET QUE"
    report = verify_pdf(bytes(data))
    assert report.verdict == INVALID
    assert report.registered is None
    assert "đã bị thay đổi sau khi ký" in report.signatures[0].messages[0]


def test_a_pdf_with_content_added_after_signing(signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.data))
    page = writer.find_page_for_modification(0)[0].get_object()
    extra = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 30 Tf 85 500 Td (DA SUA) Tj ET")
    )
    page["/Contents"] = generic.ArrayObject([page["/Contents"], extra])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert report.verdict == INVALID
    assert report.signatures[0].changed_after_signing
    assert "được thêm hoặc sửa sau khi" in report.signatures[0].messages[0]


def test_a_signature_by_an_expired_certificate(dev_pki, pki_settings):
    issued = dev_pki.issue(
        "Sở Tư pháp",
        not_before=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=40),
        valid_days=30,
    )
    report = verify_pdf(sign_directly(make_pdf(), issued))
    assert report.verdict == INVALID
    assert report.signatures[0].expired
    assert "đã hết hạn" in report.signatures[0].messages[0]


def test_a_signature_by_an_untrusted_certificate(foreign_pki, pki_settings):
    issued = foreign_pki.issue("Sở Tư pháp", organization="Sở Tư pháp")
    report = verify_pdf(sign_directly(make_pdf(), issued))
    assert report.verdict == INVALID
    assert not report.signatures[0].trusted
    assert "không do tổ chức chứng thực" in report.signatures[0].messages[0]


def test_an_unsigned_pdf(pki_settings):
    report = verify_pdf(make_pdf())
    assert report.verdict == INVALID
    assert "không có chữ ký số" in report.messages[0]


def test_a_second_signature_keeps_the_first_valid(
    signed, agencies, dev_pki, make_staff, pki_settings
):
    official = make_staff("lanhdao", agencies["justice"], full_name="Võ Minh Lãnh")
    issued = dev_pki.issue("Võ Minh Lãnh", organization="Sở Tư pháp", key_type="rsa2048")
    personal = services.import_pkcs12(
        issued.pkcs12("pw-12345"), "pw-12345", actor=official, user=official
    )
    countersigned = services.sign_pdf(
        signed.data,
        signer_certificate=personal,
        actor=official,
        level="B-LT",
        placement=services.Placement(page=-1, box=(300, 200, 550, 290)),
    )
    report = verify_pdf(countersigned.data)
    assert [s.verdict for s in report.signatures] == [VALID, VALID], [
        s.messages for s in report.signatures
    ]
    assert [s.signer for s in report.signatures] == ["Sở Tư pháp thành phố Cần Thơ", "Võ Minh Lãnh"]
    assert report.registered == countersigned.document
