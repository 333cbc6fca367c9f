"""Downloadable templates (mẫu đơn, tờ khai) generated from a version's e-form.

The demo catalogue has no scanned forms, so each declaration form is produced as a Word document
with the national heading, the procedure's name and a labelled line for every e-form field.
A city replaces them with its official files through the catalogue editor.
"""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from egov.catalog.eforms import option_label, ordered_fields


def declaration_form(title: str, procedure_name: str, schema: dict, ui: dict) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for text, bold in (
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
        ("Độc lập - Tự do - Hạnh phúc", True),
        ("", False),
        (title.upper(), True),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold
    intro = document.add_paragraph(f"(Dùng cho thủ tục: {procedure_name})")
    intro.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Kính gửi: ............................................................")
    for _name, spec, hints in ordered_fields(schema, ui):
        label = hints.get("label") or spec.get("title")
        if isinstance(spec.get("enum"), list):
            # A paper form offers the options by their label, one box each.
            options = "   ".join(f"☐ {option_label(spec, value)}" for value in spec["enum"])
            document.add_paragraph(f"{label}: {options}")
            continue
        document.add_paragraph(f"{label}: " + "." * max(20, 70 - len(label)))
    document.add_paragraph(
        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
        "pháp luật về cam đoan của mình."
    )
    closing = document.add_paragraph(
        "Làm tại: ........., ngày ..... tháng ..... năm ........\n"
        "NGƯỜI YÊU CẦU\n(Ký, ghi rõ họ, chữ đệm, tên)"
    )
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
