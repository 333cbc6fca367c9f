"""The fonts that seals, signature stamps and PDFs are drawn with.

The system's Noto fonts (Debian's fonts-noto-core) are used when installed; otherwise the subsets
shipped in this folder (Noto Sans and Noto Serif, SIL Open Font Licence 1.1, see OFL.txt; made
by scripts/subset_fonts.py), so a machine without the Debian packages still draws Vietnamese.
"""

import functools
import os
import tempfile
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parent
SYSTEM_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"))
# The PDF templates ask for "Noto Serif"; these are its faces (weight, style, file).
PDF_FAMILY = "Noto Serif"
PDF_FACES = [
    ("normal", "normal", "NotoSerif-Regular"),
    ("bold", "normal", "NotoSerif-Bold"),
    ("normal", "italic", "NotoSerif-Italic"),
    ("bold", "italic", "NotoSerif-BoldItalic"),
]


def font_file(name: str, system_dirs=SYSTEM_DIRS) -> Path:
    """``name``.ttf from the system's fonts if there, otherwise the shipped one."""
    for directory in system_dirs:
        path = Path(directory) / f"{name}.ttf"
        if path.is_file():
            return path
    return SHIPPED_DIR / f"{name}.ttf"


@functools.cache
def system_has_family(family: str) -> bool:
    """Whether fontconfig (as WeasyPrint sees it) has fonts of ``family`` installed."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)
    pattern = ffi.gc(fontconfig.FcPatternCreate(), fontconfig.FcPatternDestroy)
    fontconfig.FcPatternAddString(pattern, b"family", family.encode())
    fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    result = ffi.new("FcResult *")
    match = fontconfig.FcFontMatch(config, pattern, result)
    if match == ffi.NULL:
        return False
    match = ffi.gc(match, fontconfig.FcPatternDestroy)
    string = ffi.new("FcChar8 **")
    if fontconfig.FcPatternGetString(match, b"family", 0, string) != 0:  # FcResultMatch
        return False
    return ffi.string(string[0]).decode("utf-8", "replace").lower() == family.lower()


def pdf_options() -> dict:
    """Keyword arguments for WeasyPrint's ``write_pdf``/``render``: none when the system has
    Noto Serif (the fast path), otherwise ``@font-face`` rules that load the shipped faces (a
    font configuration of their own, made for each document as WeasyPrint requires)."""
    if system_has_family(PDF_FAMILY):
        return {}
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    rules = "\n".join(
        f'@font-face {{ font-family: "{PDF_FAMILY}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{(SHIPPED_DIR / f"{name}.ttf").as_uri()}"); }}'
        for weight, style, name in PDF_FACES
    )
    return {
        "stylesheets": [CSS(string=rules, font_config=font_config)],
        "font_config": font_config,
    }


# What pyHanko writes in PDFs (signature stamps, a document's number and date): Latin,
# Vietnamese letters, digits and punctuation.
SUBSET_CHARACTERS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    0x102,
    0x103,
    0x110,
    0x111,
    0x128,
    0x129,
    0x168,
    0x169,
    0x1A0,
    0x1A1,
    0x1AF,
    0x1B0,
    *range(0x1EA0, 0x1EFA),
    *range(0x2010, 0x2027),
    0x20AB,
]


def vietnamese_subset(path: Path | str) -> str:
    """The file of ``path``'s font cut down to the characters above, made once per process (and
    again if the font changes). pyHanko subsets the font it is given again for every text it
    writes: a third of a second on a full Noto font, a few milliseconds on this cut."""
    path = Path(path)
    return _subset(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _subset(path: str, _mtime_ns: int) -> str:
    from fontTools import subset

    options = subset.Options()
    font = subset.load_font(path, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=SUBSET_CHARACTERS)
    subsetter.subset(font)
    handle, temporary = tempfile.mkstemp(suffix=".ttf", prefix="egov-font-")
    os.close(handle)
    subset.save_font(font, temporary, options)
    font.close()
    return temporary


# The OpenType layout tables (positioning, substitution, glyph classes). pyHanko shapes text with
# HarfBuzz from the font's bytes, then embeds a subset of its own fontTools copy of the font that
# drops these three tables; fontTools still decompiles and rewrites them on that copy first
# (half the time of every text pyHanko writes: three times per issued document).
LAYOUT_TABLES = ("GDEF", "GSUB", "GPOS")


def pdf_text_font(path: Path | str, size: float):
    """The pyHanko font engine factory for text written into PDFs (a document's number and date,
    a signature's stamp): ``path``'s Vietnamese subset (:func:`vietnamese_subset`), whose
    embedded copy leaves out the layout tables before it is subset rather than after. The text is
    shaped and drawn exactly as with pyHanko's own ``GlyphAccumulatorFactory``."""
    return _factory_class()(vietnamese_subset(path), font_size=size)


@functools.cache
def _factory_class():
    from dataclasses import dataclass

    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class LayoutFreeAccumulator(GlyphAccumulator):
        def _extract_subset(self, options=None):
            for tag in LAYOUT_TABLES:
                if tag in self.tt:
                    del self.tt[tag]
            super()._extract_subset(options)

    @dataclass(frozen=True)
    class LayoutFreeFactory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            engine = super().create_font_engine(writer, obj_stream=obj_stream)
            # Same object, one method changed: pyHanko's own construction stays as it is.
            engine.__class__ = LayoutFreeAccumulator
            return engine

    return LayoutFreeFactory
