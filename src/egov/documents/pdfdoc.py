"""The document as a PDF laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I, and the two fields the
clerk fills at issue.

The leader signs before the number exists (the number is taken at issue), so the composed PDF
carries two read-only form fields, the number and notation (``Số: …``) and the place and date,
written blank. At issue they are filled in an incremental revision: filling a form field is a
change that an earlier approval signature allows (pyHanko classes it as form filling, poppler
and the platform's verification accept it), and the agency's signature, made next, covers it.

The signature boxes come from the layout itself: WeasyPrint's boxes tell where the signer's
block landed, so the leader's signature goes over it and the agency's seal covers its left
third, as Phụ lục I asks.
"""

import io
from dataclasses import dataclass

import mammoth
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStamp, TextStampStyle
from weasyprint import HTML

from egov.core import fonts
from egov.documents.kinds import TYPE_TITLES, URGENCY_MARKS, DocumentType

NUMBER_FIELD, DATE_FIELD = "so_ky_hieu", "ngay_ban_hanh"
PX = 0.75  # CSS pixel in PDF points
FONT = str(fonts.font_file("NotoSerif-Regular"))
ITALIC = str(fonts.font_file("NotoSerif-Italic"))


class PdfProblem(Exception):
    """The uploaded Word or PDF file could not be read."""


@dataclass
class Composed:
    data: bytes
    page: int  # the page of the signer's block
    signer_box: tuple[float, float, float, float]  # PDF points (x1, y1, x2, y2)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def word_to_html(data: bytes) -> str:
    """The text of a Word (.docx) draft as simple HTML (paragraphs, lists, tables)."""
    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except Exception as exc:  # mammoth raises many kinds for a file that is not a .docx
        raise PdfProblem(str(exc)) from exc
    return result.value


def _addressees(document) -> list[str]:
    return [r.name for r in document.recipients.all() if r.kind != "email"]


def _placeholder(document, notation_hint: str) -> str:
    return f"Số:        /{notation_hint}"


def date_line(document, moment=None) -> str:
    place = document.place_name
    if moment is None:
        return f"{place}, ngày      tháng      năm {document.year or ''}".strip()
    # Nghị định 30/2020: days below 10 and months below 3 take a leading zero.
    day = f"{moment.day:02d}"
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return f"{place}, ngày {day} tháng {month} năm {moment.year}"


def _qr(code: str) -> tuple[str, str]:
    """The verification QR printed in the document itself (so no signature has to add it) and
    the address it leads to."""
    import base64

    import qrcode

    from egov.signatures.services import verification_url

    url = verification_url(code)
    buffer = io.BytesIO()
    qrcode.make(url, box_size=4, border=1).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(), url


def compose(
    document,
    *,
    profile,
    content_html: str = "",
    notation_hint: str = "",
    verification_code: str = "",
) -> Composed:
    """Lays the document out (always in Vietnamese: it is an administrative paper)."""
    content = content_html or _paragraphs(document.body)
    qr_image, qr_url = _qr(verification_code) if verification_code else ("", "")
    with translation.override("vi"):
        html = render_to_string(
            "documents/pdf/document.html",
            {
                "document": document,
                "profile": profile,
                "issuer_name": document.agency.name,
                "title": TYPE_TITLES.get(document.document_type, ""),
                "is_letter": document.document_type == DocumentType.LETTER,
                "urgency_mark": URGENCY_MARKS.get(document.urgency, ""),
                "content": mark_safe(content),  # noqa: S308 - escaped above or from mammoth
                "recipients": _addressees(document),
                "addressees": _addressees(document),
                "unit_abbreviation": "",
                "qr_image": qr_image,
                "qr_url": qr_url,
                "code": "-".join(
                    verification_code[i : i + 4] for i in range(0, len(verification_code), 4)
                ),
            },
        )
    rendered = HTML(string=html).render(**fonts.pdf_options())
    boxes = {}
    for index, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            identifier = element.get("id") if element is not None else None
            if identifier in {"number-slot", "date-slot", "signature-space"}:
                height = page.height * PX
                x1 = box.position_x * PX
                top = box.position_y * PX
                boxes[identifier] = (
                    index,
                    (
                        x1,
                        height - top - box.border_height() * PX,
                        x1 + box.border_width() * PX,
                        height - top,
                    ),
                )
    data = rendered.write_pdf()
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    _add_field(writer, NUMBER_FIELD, *boxes["number-slot"], _placeholder(document, notation_hint))
    _add_field(writer, DATE_FIELD, *boxes["date-slot"], date_line(document), italic=True)
    out = io.BytesIO()
    writer.write(out)
    page, box = boxes["signature-space"]
    return Composed(out.getvalue(), page, box)


# Where Nghị định 30/2020, Phụ lục I puts the number (ô 3, under the issuing agency's name, left)
# and the place and date (ô 4, under the motto, right) on the first page, and the signature
# (ô 7, between the signer's position and name, right) on the last, in millimetres from the
# top-left corner of an A4 page with the margins it gives (top 20, left 30, right 15–20 mm).
# A PDF draft leaves these places blank; other page sizes are scaled.
A4 = (595.28, 841.89)
MM = 72 / 25.4
NUMBER_SLOT = (30, 34, 100, 42)
DATE_SLOT = (100, 34, 192, 42)
SIGNATURE_SLOT = (112, 222, 182, 252)


def _box_on(page, slot) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in page["/MediaBox"])
    sx, sy = (x1 - x0) / A4[0], (y1 - y0) / A4[1]
    left, top, right, bottom = (v * MM for v in slot)
    return (x0 + left * sx, y1 - bottom * sy, x0 + right * sx, y1 - top * sy)


def place_fields(pdf: bytes, document, *, notation_hint: str = "") -> Composed:
    """A PDF uploaded as the draft, given the blank number and date fields in the places of
    Phụ lục I (a new revision; the draft's own pages are not redrawn), and the box of the
    leader's signature on its last page."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        if writer.security_handler is not None:
            raise PdfProblem("the PDF is encrypted")
        pages = int(writer.root["/Pages"]["/Count"])
        first = writer.find_page_for_modification(0)[0].get_object()
        last = writer.find_page_for_modification(pages - 1)[0].get_object()
    except PdfProblem:
        raise
    except Exception as exc:  # pyHanko raises many kinds for a damaged file
        raise PdfProblem(str(exc)) from exc
    _add_field(
        writer, NUMBER_FIELD, 0, _box_on(first, NUMBER_SLOT), _placeholder(document, notation_hint)
    )
    _add_field(writer, DATE_FIELD, 0, _box_on(first, DATE_SLOT), date_line(document), italic=True)
    out = io.BytesIO()
    writer.write(out)
    return Composed(out.getvalue(), pages - 1, _box_on(last, SIGNATURE_SLOT))


def _appearance(writer, text: str, width: float, height: float, italic: bool):
    style = TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=TextBoxStyle(
            font=fonts.pdf_text_font(ITALIC if italic else FONT, 12.5),
            font_size=12.5,
            leading=14,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        ),
        border_width=0,
        # Opaque white under the text: a PDF draft may print a blank "Số:      /UBND-VP" or
        # "ngày   tháng   năm" where the field lies, which the written value must cover.
        background=content.RawContent(
            b"1 g 0 0 10 10 re f", box=layout.BoxConstraints(width=10, height=10)
        ),
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_FILL,
        ),
        background_opacity=1.0,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )
    stamp = TextStamp(
        writer,
        style=style,
        text_params={"text": text},
        box=layout.BoxConstraints(width=width, height=height),
    )
    return stamp.as_appearances().as_pdf_object()


def _add_field(writer, name: str, page: int, box, text: str, italic: bool = False) -> None:
    x1, y1, x2, y2 = box
    page_ref = writer.find_page_for_modification(page)[0]
    field = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Widget"),
            generic.pdf_name("/FT"): generic.pdf_name("/Tx"),
            generic.pdf_name("/T"): generic.pdf_string(name),
            generic.pdf_name("/Rect"): generic.ArrayObject(
                [generic.FloatObject(round(v, 2)) for v in (x1, y1, x2, y2)]
            ),
            generic.pdf_name("/F"): generic.NumberObject(4),  # printed
            generic.pdf_name("/Ff"): generic.NumberObject(1),  # read-only for readers
            generic.pdf_name("/P"): page_ref,
            generic.pdf_name("/V"): generic.pdf_string(text),
            generic.pdf_name("/DA"): generic.pdf_string("/Helv 0 Tf 0 g"),
        }
    )
    field[generic.pdf_name("/AP")] = _appearance(writer, text, x2 - x1, y2 - y1, italic)
    reference = writer.add_object(field)
    page_object = page_ref.get_object()
    annotations = page_object.get("/Annots")
    if annotations is None:
        page_object[generic.pdf_name("/Annots")] = generic.ArrayObject([reference])
    else:
        annotations.get_object().append(reference)
    writer.update_container(page_object)
    root = writer.root
    if "/AcroForm" not in root:
        root[generic.pdf_name("/AcroForm")] = generic.DictionaryObject(
            {generic.pdf_name("/Fields"): generic.ArrayObject()}
        )
    root["/AcroForm"]["/Fields"].append(reference)
    writer.update_root()


def fill_fields(pdf: bytes, values: dict[str, str]) -> bytes:
    """Writes ``values`` (field name → text) into the document's fields, in a new revision."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for reference in writer.root["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        name = str(field.get("/T", ""))
        if name not in values:
            continue
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        field[generic.pdf_name("/V")] = generic.pdf_string(values[name])
        field[generic.pdf_name("/AP")] = _appearance(
            writer, values[name], x2 - x1, y2 - y1, italic=name == DATE_FIELD
        )
        writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def field_values(pdf: bytes) -> dict[str, str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    form = reader.root.get("/AcroForm")
    if form is None:
        return {}
    fields = [ref.get_object() for ref in form["/Fields"]]
    return {str(f.get("/T", "")): str(f.get("/V", "")) for f in fields if f.get("/FT") == "/Tx"}


def signer_box_of(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """The page and box of the first signature (the leader's): the agency signs beside it."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    pages = [ref.idnum for ref in _page_refs(reader.root["/Pages"])]
    for reference in reader.root["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if field.get("/FT") == "/Sig":
            page = field.raw_get("/P").idnum if "/P" in field else None
            index = pages.index(page) if page in pages else -1
            return index, tuple(float(v) for v in field["/Rect"])
    raise ValueError("the document has no signature yet")


def _page_refs(node):
    for kid in node["/Kids"]:
        obj = kid.get_object()
        if obj.get("/Type") == "/Pages":
            yield from _page_refs(obj)
        else:
            yield kid


def agency_box(signer_box):
    """The agency's signature: the seal covers the left third of the signer's signature."""
    x1, y1, x2, y2 = signer_box
    shift = (x2 - x1) / 3
    return (x1 - shift, y1, x2 - shift, y2)
