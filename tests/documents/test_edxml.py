"""edXML packages and status messages: built, signed, validated and read back; a malformed,
unsigned, altered or untrusted package is refused whole, logged, and answered with status 02."""

import pytest
from lxml import etree

from egov.documents import edxml, exchange, search
from egov.documents.models import ExchangeMessage, OfficialDocument, Recipient

pytestmark = pytest.mark.django_db
OUTSIDE = ("000.00.10.H62", "Sở Y tế tỉnh Vĩnh Long")


@pytest.fixture
def outside_issued(issued):
    def make(**options):
        options.setdefault(
            "recipients", [{"kind": "external", "code": OUTSIDE[0], "name": OUTSIDE[1]}]
        )
        return issued(**options)

    return make


def _outbox(document):
    return ExchangeMessage.objects.get(document=document, direction="out", kind="edoc")


def test_package_round_trip(outside_issued):
    document = outside_issued(document_type="QĐ", reply_due=None)
    message = _outbox(document)
    data = bytes(message.payload)
    root = edxml.check(data)
    assert edxml.kind_of(root) == "edoc"
    package = edxml.parse_package(root)
    assert package.from_code == "000.00.03.H13"
    assert package.to == [OUTSIDE]
    assert package.document_id == f"000.00.03.H13,{document.document_date:%Y/%m/%d},01/QĐ-STP"
    assert (package.number, package.notation, package.reference) == (1, "QĐ-STP", "01/QĐ-STP")
    assert package.subject == document.subject
    assert package.document_type == "QĐ"
    assert package.signer_name == "Võ Minh Lãnh"
    assert package.attachments[0].mime == "application/pdf"
    assert package.attachments[0].data[:5] == b"%PDF-"
    xml = etree.fromstring(data)
    assert xml.tag == "{http://www.mic.gov.vn/TBT/QCVN_102_2016}edXML"
    assert (
        xml.find(".//{http://www.w3.org/2000/09/xmldsig#}Signature")
        .getparent()
        .tag.endswith("edXMLHeader")
    )


def test_status_round_trip(setup_agencies, certificates):
    data = exchange._status_payload(
        setup_agencies["justice"],
        document_id="000.00.10.H62,2026/01/05,12/SYT-VP",
        organ_id="000.00.10.H62",
        code="12/SYT-VP",
        day=None,
        status="03",
        note="",
    )
    status = edxml.parse_status(edxml.check(data))
    assert (status.status, status.from_code, status.code) == ("03", "000.00.03.H13", "12/SYT-VP")
    assert status.description.startswith("Đã tiếp nhận")


def _tampered(data: bytes) -> bytes:
    return data.replace("Về việc cung cấp".encode(), "Về việc thu hồi".encode(), 1)


def _unsigned(data: bytes) -> bytes:
    root = etree.fromstring(data)
    signature = root.find(".//{http://www.w3.org/2000/09/xmldsig#}Signature")
    signature.getparent().remove(signature)
    return etree.tostring(root)


@pytest.mark.parametrize(
    ("alter", "reason"),
    [
        (_tampered, "bị thay đổi sau khi ký"),
        (_unsigned, "lược đồ edXML"),
        (lambda data: data[: len(data) // 2], "không đúng cú pháp XML"),
        (lambda data: b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'/>", "lược đồ"),
    ],
)
def test_bad_packages_are_refused_whole(outside_issued, setup_agencies, alter, reason):
    data = alter(bytes(_outbox(outside_issued()).payload))
    before = OfficialDocument.objects.filter(direction="in").count()
    outcome = exchange.receive(data, axis_id="bad-1", to_code="000.00.10.H13")
    assert outcome == "rejected"
    assert OfficialDocument.objects.filter(direction="in").count() == before
    log = ExchangeMessage.objects.get(direction="in", axis_id="bad-1")
    assert log.state == "rejected" and reason in log.last_error, log.last_error
    answer = ExchangeMessage.objects.filter(direction="out", kind="status", status_code="02")
    if alter is _tampered or alter is _unsigned:
        assert answer.get().to_code == "000.00.03.H13"  # the sender is told to send again


def test_a_package_signed_by_an_unknown_authority_is_refused(
    outside_issued, foreign_pki, setup_agencies, settings
):
    issued = foreign_pki.issue("Sở Tư pháp giả mạo", organization="Giả mạo")
    document = outside_issued()
    message = _outbox(document)
    # The same package signed with a certificate the platform does not trust.
    from cryptography.hazmat.primitives import serialization
    from signxml import XMLSigner, methods

    root = etree.fromstring(bytes(message.payload))
    old = root.find(".//{http://www.w3.org/2000/09/xmldsig#}Signature")
    parent = old.getparent()
    parent.remove(old)
    from egov.signatures import xmlsig

    parent.append(xmlsig.placeholder())
    key = serialization.load_der_private_key(issued.key_pkcs8_der(), None)
    signed = XMLSigner(
        method=methods.enveloped,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=xmlsig.C14N,
    ).sign(
        root,
        key=key,
        cert=[issued.certificate.public_bytes(serialization.Encoding.PEM).decode()],
    )
    data = etree.tostring(signed)
    assert exchange.receive(data, axis_id="forged", to_code="000.00.10.H13") == "rejected"
    log = ExchangeMessage.objects.get(axis_id="forged")
    assert "tin cậy" in log.last_error or "chứng thư" in log.last_error, log.last_error


def test_incoming_package_and_its_statuses(setup_agencies, certificates, people, outside_issued):
    """A package from an outside agency arrives, is registered, and answers 01 then 03."""
    from egov.documents import incoming

    document = outside_issued()
    package = edxml.parse_package(edxml.check(bytes(_outbox(document).payload)))
    package.to = [("000.00.10.H13", "Sở Y tế")]
    package.document_id = "000.00.03.H13,2026/01/05,99/STP"
    resigned = edxml.build_package(package, certificate=certificates["agency"], actor=None)
    assert exchange.receive(resigned, axis_id="in-1", to_code="000.00.10.H13") == "accepted"
    assert exchange.receive(resigned, axis_id="in-2", to_code="000.00.10.H13") == "accepted"
    copy = OfficialDocument.objects.get(direction="in", exchange_id=package.document_id)
    assert copy.channel == "exchange" and copy.state == "arrived"
    assert copy.files.count() == 1
    incoming.register(copy, actor=people["health_clerk"])
    statuses = list(
        ExchangeMessage.objects.filter(direction="out", kind="status", document=copy)
        .order_by("id")
        .values_list("status_code", flat=True)
    )
    assert statuses == ["01", "03", "04"]
    assert Recipient.objects.filter(kind="external").count() == 1


def test_an_update_changes_the_copy_already_registered(
    setup_agencies, certificates, people, outside_issued
):
    """BussinessDocType 2: the sender corrects a document; the copy here keeps its incoming
    number and takes the new details and file, with a note of why; nothing is registered twice."""
    from egov.core.models import AuditEvent
    from egov.documents import delivery, incoming
    from egov.documents.kinds import Business
    from tests.signatures.fixtures import make_pdf

    document = outside_issued()
    package = edxml.parse_package(edxml.check(bytes(_outbox(document).payload)))
    package.to = [("000.00.10.H13", "Sở Y tế")]
    package.document_id = "000.00.03.H13,2026/01/05,99/STP"
    first = edxml.build_package(package, certificate=certificates["agency"], actor=None)
    assert exchange.receive(first, axis_id="in-1", to_code="000.00.10.H13") == "accepted"
    copy = OfficialDocument.objects.get(direction="in", exchange_id=package.document_id)
    incoming.register(copy, actor=people["health_clerk"])

    package.business = Business.UPDATE
    package.business_reason = "Sửa thời hạn gửi số liệu"
    package.subject = "Về việc cung cấp số liệu giám định pháp y năm 2025 (sửa đổi thời hạn)"
    package.attachments[0].data = make_pdf(1, "BAN SUA DOI")
    update = edxml.build_package(package, certificate=certificates["agency"], actor=None)
    assert exchange.receive(update, axis_id="in-2", to_code="000.00.10.H13") == "accepted"

    assert OfficialDocument.objects.filter(exchange_id=package.document_id).count() == 1
    copy.refresh_from_db()
    assert (copy.state, copy.number) == ("registered", 1)
    assert copy.subject.endswith("(sửa đổi thời hạn)")
    assert delivery.signed_file(copy).sha256 != copy.files.order_by("id").first().sha256
    assert "Sửa thời hạn gửi số liệu" in copy.comments.get(kind="note").text
    event = AuditEvent.objects.get(action="documents.updated", object_id=str(copy.pk))
    assert event.after["changed"] == ["subject"]
    assert list(search.search(people["health_clerk"], "doi thoi han")) == [copy]
    statuses = ExchangeMessage.objects.filter(direction="out", kind="status", document=copy)
    assert sorted(statuses.values_list("status_code", flat=True)) == ["01", "03", "04"]
