"""A machine without Debian's fonts-noto-core still draws seals, signature stamps and PDFs with
Vietnamese glyphs: the platform falls back to the Noto faces it ships (src/egov/core/fonts/)."""

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from fontTools.ttLib import TTFont
from PIL import Image

from egov.core import fonts
from egov.core.fonts import SUBSET_CHARACTERS
from egov.signatures.seal import draw_seal
from egov.signatures.signing import SignatureError

SHIPPED = sorted(fonts.SHIPPED_DIR.glob("*.ttf"))


def test_the_system_font_is_preferred_and_the_shipped_one_stands_in(tmp_path):
    assert fonts.font_file("NotoSans-Regular", system_dirs=[tmp_path]) == (
        fonts.SHIPPED_DIR / "NotoSans-Regular.ttf"
    )
    (tmp_path / "NotoSans-Regular.ttf").write_bytes(b"")
    assert fonts.font_file("NotoSans-Regular", system_dirs=[tmp_path]) == (
        tmp_path / "NotoSans-Regular.ttf"
    )


def test_the_shipped_fonts_are_licensed_and_cover_vietnamese():
    assert (fonts.SHIPPED_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1
    names = {path.stem for path in SHIPPED}
    assert {"NotoSans-Regular", "NotoSans-Bold"} | {f[2] for f in fonts.PDF_FACES} <= names
    for path in SHIPPED:
        cmap = TTFont(path).getBestCmap()
        missing = [hex(c) for c in SUBSET_CHARACTERS if c not in cmap]
        assert not missing, (path.name, missing)
        assert all(ord(c) in cmap for c in "Nguyễn Thị Ánh Đặng ưởng – “₫”")


def test_the_seal_is_drawn_with_the_shipped_font():
    with override_settings(EGOV_SIGNATURE_FONT=str(fonts.SHIPPED_DIR / "NotoSans-Regular.ttf")):
        png = draw_seal("Sở Tư pháp thành phố Cần Thơ")
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    assert image.size == (420, 420)
    assert sum(image.getchannel("A").histogram()[1:]) > 5000


def test_a_missing_seal_font_is_a_clear_error_not_cannot_open_resource():
    with (
        override_settings(EGOV_SIGNATURE_FONT="/nonexistent/NotoSans-Regular.ttf"),
        pytest.raises(SignatureError, match="EGOV_SIGNATURE_FONT"),
    ):
        draw_seal("Sở Tư pháp")


@pytest.mark.engine_independent
def test_pdfs_use_the_shipped_noto_serif_when_fontconfig_has_no_fonts(tmp_path):
    """Fontconfig with no fonts at all (WeasyPrint crashed on it): the PDF embeds the shipped
    Noto Serif in its three faces."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    script = textwrap.dedent(
        """
        import io, pikepdf
        from weasyprint import HTML
        from egov.core import fonts
        html = '<p style="font-family: Noto Serif">Nguyễn <b>Đặng</b> <i>ưởng</i></p>'
        pdf = pikepdf.open(io.BytesIO(HTML(string=html).write_pdf(**fonts.pdf_options())))
        print(sorted(str(f.BaseFont).split("+")[-1] for f in pdf.pages[0].Resources.Font.values()))
        """
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(config),
        "PYTHONPATH": str(Path(settings.BASE_DIR) / "src"),
    }
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['Noto-Serif', 'Noto-Serif-Bold', 'Noto-Serif-Italic']"


def test_with_the_system_noto_serif_pdfs_take_the_fast_path():
    if not fonts.system_has_family(fonts.PDF_FAMILY):
        pytest.skip("fonts-noto-core is not installed here")
    assert fonts.pdf_options() == {}


def test_the_vietnamese_subset_is_cut_once_per_process_and_keeps_the_letters():
    from fontTools.ttLib import TTFont

    from egov.core import fonts

    original = fonts.font_file("NotoSerif-Regular")
    first = fonts.vietnamese_subset(original)
    assert fonts.vietnamese_subset(str(original)) == first  # made once, then reused
    assert Path(first).stat().st_size < original.stat().st_size / 4
    cmap = TTFont(first)["cmap"].getBestCmap()
    assert all(ord(c) in cmap for c in "Số: 15/QĐ-UBND Cần Thơ, ngày 07 tháng 12 năm 2026")


def test_text_written_into_pdfs_embeds_the_font_without_its_layout_tables(tmp_path):
    """pyHanko drops GDEF/GSUB/GPOS from the font it embeds; ours leaves them out before
    subsetting (half the time of each text). The text reads the same."""
    import pikepdf
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStamp, TextStampStyle

    from tests.signatures.fixtures import make_pdf

    factory = fonts.pdf_text_font(fonts.font_file("NotoSerif-Regular"), 12)
    assert "GPOS" in TTFont(factory.font_file)  # the subset keeps them, for HarfBuzz
    writer = IncrementalPdfFileWriter(io.BytesIO(make_pdf()))
    text = "Số: 15/QĐ-UBND Cần Thơ, ngày 07 tháng 12 năm 2026"
    stamp = TextStamp(
        writer,
        style=TextStampStyle(
            stamp_text="%(text)s", text_box_style=TextBoxStyle(font=factory, font_size=12)
        ),
        text_params={"text": text},
        box=layout.BoxConstraints(width=400, height=30),
    )
    stamp.apply(0, 80, 600)
    path = tmp_path / "text.pdf"
    with path.open("wb") as handle:
        writer.write(handle)

    extracted = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text in " ".join(extracted.split())
    with pikepdf.open(path) as pdf:
        embedded = [
            obj.FontFile2.read_bytes()
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj
        ]
    assert embedded
    for data in embedded:
        assert not {"GDEF", "GSUB", "GPOS"} & set(TTFont(io.BytesIO(data)).keys())
