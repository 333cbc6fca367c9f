"""Writes the fonts shipped in src/egov/core/fonts/ (Noto Sans and Noto Serif, SIL Open Font
Licence 1.1, see OFL.txt there) from the full fonts of Debian's fonts-noto-core, cut down to the
Latin script with Vietnamese, punctuation and a few symbols, so that a machine without the system
fonts still draws seals, signature stamps and PDFs with Vietnamese glyphs.

    .venv/bin/python scripts/subset_fonts.py [/usr/share/fonts/truetype/noto]
"""

import sys
from pathlib import Path

from fontTools import subset

FONTS = [
    "NotoSans-Regular",
    "NotoSans-Bold",
    "NotoSerif-Regular",
    "NotoSerif-Bold",
    "NotoSerif-Italic",
    "NotoSerif-BoldItalic",
]
# Basic Latin to Latin Extended-B, combining marks, Greek, Latin Extended Additional (Vietnamese),
# punctuation, currency (₫), letter-like symbols, arrows, a few mathematical signs, boxes, ticks.
UNICODES = "U+0020-024F,U+0300-036F,U+0370-03FF,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2212,U+2260-2265,U+25A0-25CF,U+2610-2612,U+2713-2717,U+FFFD"  # noqa: E501
TARGET = Path(__file__).resolve().parent.parent / "src" / "egov" / "core" / "fonts"


def main(source: str = "/usr/share/fonts/truetype/noto") -> None:
    for name in FONTS:
        subset.main(
            [
                str(Path(source) / f"{name}.ttf"),
                f"--unicodes={UNICODES}",
                "--layout-features=*",
                "--name-IDs=*",
                "--name-legacy",
                "--name-languages=*",
                "--notdef-outline",
                "--no-hinting",
                f"--output-file={TARGET / f'{name}.ttf'}",
            ]
        )
        print(f"{name}.ttf: {(TARGET / f'{name}.ttf').stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(*sys.argv[1:])
