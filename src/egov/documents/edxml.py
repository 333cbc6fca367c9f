"""edXML (QCVN 102:2016/BTTTT): the packages that carry a document between agencies and the status
messages that answer them. Built and read with lxml, validated against ``schemas/edxml.xsd``,
signed and verified with the agency's certificate (W3C XML-DSig, signatures.xmlsig).

A package that is not well-formed, does not follow the schema, carries no signature, or whose
signature does not verify is an :class:`EdxmlError`: it is refused whole, never half-registered.
"""

import base64
import datetime
import functools
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from egov.documents.kinds import STATUS_DESCRIPTIONS, TYPE_NAMES, Business, DocumentType
from egov.signatures import xmlsig
from egov.signatures.signing import SignatureError

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
E = f"{{{NS}}}"
MAX_PACKAGE_BYTES = 60 * 1024 * 1024
# edXML's DocumentType/Type numbers (the national list); the name travels beside it.
TYPE_NUMBERS = {code: str(index) for index, code in enumerate(DocumentType.values, start=1)}
TYPE_BY_NUMBER = {number: code for code, number in TYPE_NUMBERS.items()}


class EdxmlError(Exception):
    """A message refused, with a translated reason (sent back in status 02 and logged)."""


@functools.lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    path = Path(__file__).parent / "schemas" / "edxml.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _el(parent, name: str, text=None, **attributes):
    element = etree.SubElement(parent, E + name, **attributes)
    if text is not None:
        element.text = str(text)
    return element


def _date(day: datetime.date | None) -> str:
    return day.strftime("%Y/%m/%d") if day else ""


def _timestamp(moment: datetime.datetime | None = None) -> str:
    return timezone.localtime(moment or timezone.now()).strftime("%Y/%m/%d %H:%M:%S")


def _organization(parent, tag: str, code: str, name: str, **extra) -> None:
    node = _el(parent, tag)
    _el(node, "OrganId", code)
    _el(node, "OrganizationInCharge", extra.get("in_charge") or name)
    _el(node, "OrganName", name)
    for key, element in (("address", "OrganAdd"), ("email", "Email"), ("phone", "Telephone")):
        if extra.get(key):
            _el(node, element, extra[key])


def _root():
    root = etree.Element(E + "edXML", nsmap={None: NS})
    envelope = etree.SubElement(root, E + "edXMLEnvelope", nsmap={"edXML": NS})
    header = _el(envelope, "edXMLHeader")
    return root, envelope, header


@dataclass
class Attachment:
    name: str
    mime: str
    data: bytes
    description: str = ""


@dataclass
class Package:
    """What a document package says, as read from (or written to) the XML."""

    from_code: str
    from_name: str
    to: list[tuple[str, str]]
    document_id: str
    number: int
    notation: str
    place: str
    promulgation_date: datetime.date | None
    document_type: str
    subject: str
    content: str = ""
    signer_name: str = ""
    signer_position: str = ""
    signer_competence: str = ""
    due_date: datetime.date | None = None
    priority: str = "0"
    business: str = Business.NEW
    business_reason: str = ""
    replaces: list[str] = field(default_factory=list)
    response_for: list[str] = field(default_factory=list)
    staff: str = ""
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return f"{self.number:02d}/{self.notation}" if self.number else self.notation


@dataclass
class StatusMessage:
    document_id: str
    organ_id: str  # the document's issuer (ResponseFor/OrganId)
    code: str  # its number and notation
    promulgation_date: datetime.date | None
    from_code: str
    from_name: str
    status: str
    description: str
    timestamp: str
    staff: str = ""


def build_package(package: Package, *, certificate, actor) -> bytes:
    root, envelope, header = _root()
    message = _el(header, "MessageHeader")
    _organization(message, "From", package.from_code, package.from_name)
    for code, name in package.to:
        _organization(message, "To", code, name)
    _el(message, "DocumentId", package.document_id)
    code = _el(message, "Code")
    _el(code, "CodeNumber", package.number)
    _el(code, "CodeNotation", package.notation)
    info = _el(message, "PromulgationInfo")
    _el(info, "Place", package.place or "-")
    _el(info, "PromulgationDate", _date(package.promulgation_date))
    kind = _el(message, "DocumentType")
    _el(kind, "Type", TYPE_NUMBERS.get(package.document_type, "0"))
    _el(kind, "TypeName", TYPE_NAMES.get(package.document_type, package.document_type))
    _el(message, "Subject", package.subject)
    _el(message, "Content", package.content)
    signer = _el(message, "SignerInfo")
    if package.signer_competence:
        _el(signer, "Competence", package.signer_competence)
    if package.signer_position:
        _el(signer, "Position", package.signer_position)
    _el(signer, "FullName", package.signer_name or "-")
    if package.due_date:
        _el(message, "DueDate", _date(package.due_date))
    places = _el(message, "ToPlaces")
    for _code, name in package.to:
        _el(places, "Place", name)
    other = _el(message, "OtherInfo")
    _el(other, "Priority", package.priority)
    _el(other, "PromulgationAmount", 1)
    _el(other, "PageAmount", 0)
    appendixes = _el(other, "Appendixes")
    for attachment in package.attachments[1:]:
        _el(appendixes, "Appendix", attachment.name)
    for document_id in package.response_for:
        organ, day, reference = [*document_id.split(",", 2), "", ""][:3]
        response = _el(message, "ResponseFor")
        _el(response, "OrganId", organ)
        _el(response, "Code", reference)
        _el(response, "PromulgationDate", day)
        _el(response, "DocumentId", document_id)
    _el(message, "SteeringType", 0)

    traces = _el(
        header,
        "TraceHeaderList",
        id=uuid.uuid4().hex[:8],
        version="1.0",
        mustUnderstand="1",
        actor="http://schemas.xmlsoap.org/soap/actor/next",
    )
    trace = _el(traces, "TraceHeader")
    _el(trace, "OrganId", package.from_code)
    _el(trace, "Timestamp", _timestamp())
    business = _el(traces, "Bussiness")
    _el(business, "BussinessDocType", package.business)
    if package.business_reason:
        _el(business, "BussinessDocReason", package.business_reason)
    _el(business, "Paper", 0)
    staff = _el(business, "StaffInfo")
    _el(staff, "Staff", package.staff or "-")
    if package.replaces:
        replacements = _el(business, "ReplacementInfoList")
        for document_id in package.replaces:
            item = _el(replacements, "ReplacementInfo")
            _el(item, "DocumentId", document_id)
            organs = _el(item, "OrganIdList")
            for code, _name in package.to:
                _el(organs, "OrganId", code)
    header.append(xmlsig.placeholder())

    body = _el(envelope, "edXMLBody")
    manifest = _el(body, "edXMLManifest", version="1.0")
    encoded = _el(root, "AttachmentEncoded") if package.attachments else None
    for attachment in package.attachments:
        content_id = uuid.uuid4().hex
        reference = _el(manifest, "Reference", nsmap={"xlink": XLINK})
        reference.set(f"{{{XLINK}}}href", f"cid:{content_id}")
        reference.set(f"{{{XLINK}}}type", "simple")
        if attachment.description:
            _el(reference, "Description", attachment.description)
        _el(reference, "AttachmentName", attachment.name)
        _el(reference, "ContentType", attachment.mime)
        _el(reference, "ContentId", f"cid:{content_id}")
        item = _el(encoded, "Attachment")
        _el(item, "ContentType", attachment.mime)
        _el(item, "ContentId", content_id)
        _el(item, "ContentTransferEncoded", base64.b64encode(attachment.data).decode())
        _el(item, "AttachmentName", attachment.name)
    return xmlsig.sign(root, certificate=certificate, actor=actor)


def build_status(status: StatusMessage, *, certificate, actor) -> bytes:
    root, _envelope, header = _root()
    node = _el(header, "Status")
    response = _el(node, "ResponseFor")
    _el(response, "OrganId", status.organ_id)
    _el(response, "Code", status.code)
    _el(response, "PromulgationDate", _date(status.promulgation_date))
    _el(response, "DocumentId", status.document_id)
    _organization(node, "From", status.from_code, status.from_name)
    _el(node, "StatusCode", status.status)
    _el(node, "Description", status.description or STATUS_DESCRIPTIONS.get(status.status, ""))
    _el(node, "Timestamp", status.timestamp or _timestamp())
    staff = _el(node, "StaffInfo")
    _el(staff, "Staff", status.staff or "-")
    header.append(xmlsig.placeholder())
    return xmlsig.sign(root, certificate=certificate, actor=actor)


# --- Reading ------------------------------------------------------------------------------------


def _text(node, path: str) -> str:
    found = node.find(path.replace("e:", E)) if node is not None else None
    return (found.text or "").strip() if found is not None else ""


def _parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text, "%Y/%m/%d").date() if text else None
    except ValueError:
        return None


def check(data: bytes) -> etree._Element:
    """Well-formed, within the schema, and signed by a certificate the platform trusts; returns
    what the signature covers."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise EdxmlError(_("The package is larger than the platform accepts."))
    try:
        document = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise EdxmlError(_("The package is not well-formed XML.")) from exc
    schema = _schema()
    if not schema.validate(document):
        error = schema.error_log.last_error
        raise EdxmlError(
            _("The package does not follow the edXML schema (line %(line)s: %(message)s).")
            % {"line": error.line if error else "?", "message": error.message if error else ""}
        )
    try:
        verified = xmlsig.verify(data)
    except SignatureError as exc:
        raise EdxmlError(exc.message) from exc
    return verified.root


def sender_of(data: bytes) -> tuple[str, str]:
    """The sender's code and the DocumentId, read without trusting the package: to address a
    refusal (status 02) even when the package is rejected. Empty when unreadable."""
    try:
        document = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError:
        return "", ""
    header = document.find(f"{E}edXMLEnvelope/{E}edXMLHeader")
    if header is None:
        return "", ""
    message = header.find(E + "MessageHeader")
    if message is not None:
        return _text(message, "e:From/e:OrganId"), _text(message, "e:DocumentId")
    status = header.find(E + "Status")
    return _text(status, "e:From/e:OrganId"), _text(status, "e:ResponseFor/e:DocumentId")


def kind_of(root) -> str:
    header = root.find(f"{E}edXMLEnvelope/{E}edXMLHeader")
    return "status" if header is not None and header.find(E + "Status") is not None else "edoc"


def parse_package(root) -> Package:
    message = root.find(f"{E}edXMLEnvelope/{E}edXMLHeader/{E}MessageHeader")
    traces = root.find(f"{E}edXMLEnvelope/{E}edXMLHeader/{E}TraceHeaderList")
    encoded = {
        _text(item, "e:ContentId"): item
        for item in root.findall(f"{E}AttachmentEncoded/{E}Attachment")
    }
    attachments = []
    for reference in root.findall(f"{E}edXMLEnvelope/{E}edXMLBody/{E}edXMLManifest/{E}Reference"):
        content_id = _text(reference, "e:ContentId").removeprefix("cid:")
        item = encoded.get(content_id)
        if item is None:
            raise EdxmlError(
                _("The manifest names an attachment the package does not carry: %(name)s.")
                % {"name": _text(reference, "e:AttachmentName")}
            )
        attachments.append(
            Attachment(
                name=_text(reference, "e:AttachmentName")[:255],
                mime=_text(reference, "e:ContentType")[:100],
                data=base64.b64decode(_text(item, "e:ContentTransferEncoded")),
            )
        )
    type_number = _text(message, "e:DocumentType/e:Type")
    return Package(
        from_code=_text(message, "e:From/e:OrganId"),
        from_name=_text(message, "e:From/e:OrganName"),
        to=[
            (_text(node, "e:OrganId"), _text(node, "e:OrganName"))
            for node in message.findall(E + "To")
        ],
        document_id=_text(message, "e:DocumentId"),
        number=int(_text(message, "e:Code/e:CodeNumber") or 0),
        notation=_text(message, "e:Code/e:CodeNotation"),
        place=_text(message, "e:PromulgationInfo/e:Place"),
        promulgation_date=_parse_date(_text(message, "e:PromulgationInfo/e:PromulgationDate")),
        document_type=TYPE_BY_NUMBER.get(type_number, DocumentType.LETTER),
        subject=_text(message, "e:Subject"),
        content=_text(message, "e:Content"),
        signer_name=_text(message, "e:SignerInfo/e:FullName"),
        signer_position=_text(message, "e:SignerInfo/e:Position"),
        signer_competence=_text(message, "e:SignerInfo/e:Competence"),
        due_date=_parse_date(_text(message, "e:DueDate")),
        priority=min(_text(message, "e:OtherInfo/e:Priority") or "0", "3"),
        business=_text(traces, "e:Bussiness/e:BussinessDocType") or Business.NEW,
        business_reason=_text(traces, "e:Bussiness/e:BussinessDocReason"),
        replaces=[
            (node.text or "").strip()
            for node in traces.findall(
                f"{E}Bussiness/{E}ReplacementInfoList/{E}ReplacementInfo/{E}DocumentId"
            )
        ],
        response_for=[_text(n, "e:DocumentId") for n in message.findall(E + "ResponseFor")],
        attachments=attachments,
    )


def parse_status(root) -> StatusMessage:
    node = root.find(f"{E}edXMLEnvelope/{E}edXMLHeader/{E}Status")
    return StatusMessage(
        document_id=_text(node, "e:ResponseFor/e:DocumentId"),
        organ_id=_text(node, "e:ResponseFor/e:OrganId"),
        code=_text(node, "e:ResponseFor/e:Code"),
        promulgation_date=_parse_date(_text(node, "e:ResponseFor/e:PromulgationDate")),
        from_code=_text(node, "e:From/e:OrganId"),
        from_name=_text(node, "e:From/e:OrganName"),
        status=_text(node, "e:StatusCode"),
        description=_text(node, "e:Description"),
        timestamp=_text(node, "e:Timestamp"),
        staff=_text(node, "e:StaffInfo/e:Staff"),
    )
