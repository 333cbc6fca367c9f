"""PDFs with active content are refused at upload, with a message that says how to make a plain
one; plain PDFs, links included, pass."""

import io

import pikepdf
import pytest

from egov.core import uploads
from egov.core.pdfcheck import active_content

pytestmark = pytest.mark.django_db


def _pdf(change=None, **save) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def _javascript_on_open(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    )


def _javascript_name_tree(pdf):
    action = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.print()"))
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), action]))
    )


def _launch_annotation(pdf):
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    annotation = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([0, 0, 100, 100]),
            A=launch,
        )
    )
    pdf.pages[0].Annots = pikepdf.Array([annotation])


def _embedded_file(pdf):
    pdf.attachments["hoa-don.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not a paper")


def _page_open_action(pdf):
    pdf.pages[0].AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1"))
    )


def _a_link(pdf):
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://cantho.gov.vn")),
    )
    pdf.pages[0].Annots = pikepdf.Array([pdf.make_indirect(link)])


@pytest.mark.parametrize(
    "change",
    [
        _javascript_on_open,
        _javascript_name_tree,
        _launch_annotation,
        _embedded_file,
        _page_open_action,
    ],
    ids=["javascript on open", "javascript names", "launch", "embedded file", "page action"],
)
def test_active_content_is_found_and_refused(change):
    data = _pdf(change)
    assert active_content(data)
    with pytest.raises(uploads.UploadRejected, match="nội dung chủ động"):
        uploads.check(data, accepted=["pdf"])


def test_javascript_hidden_in_a_compressed_object_stream_is_found():
    data = _pdf(_javascript_on_open, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/JavaScript" not in data  # not visible to a search of the bytes
    assert "JavaScript" in active_content(data)


def test_plain_pdfs_and_links_pass():
    assert active_content(_pdf()) == []
    assert active_content(_pdf(_a_link)) == []
    assert uploads.check(_pdf(_a_link), accepted=["pdf"]).extension == "pdf"


def test_an_encrypted_pdf_is_refused_with_what_to_do():
    data = _pdf(encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(uploads.UploadRejected, match="mật khẩu"):
        uploads.check(data, accepted=["pdf"])


def test_a_pdf_that_cannot_be_read_is_refused():
    with pytest.raises(uploads.UploadRejected, match="Không đọc được tệp PDF"):
        uploads.check(b"%PDF-1.7\n this is not really a PDF", accepted=["pdf"])
