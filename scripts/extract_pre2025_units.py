"""Extract the pre-2025 three-tier tree of Cần Thơ, Hậu Giang and Sóc Trăng into a data file.

Run once, in a throw-away virtual environment holding ``vietnam-provinces==0.6.0`` (the last
release with the three-tier tree; it cannot be installed beside the current one):

    python -m venv /tmp/vp06 && /tmp/vp06/bin/pip install vietnam-provinces==0.6.0
    /tmp/vp06/bin/python scripts/extract_pre2025_units.py > \
        src/egov/organizations/data/cantho_pre2025_units.csv

The release's own division types are unreliable at district level (every district is "huyện"),
so the kind is read from the name's prefix.
"""

import csv
import json
import sys
from importlib.resources import files

PROVINCES = {92, 93, 94}  # Cần Thơ, Hậu Giang, Sóc Trăng: merged into Cần Thơ on 2025-07-01
LAST_DAY = "2025-06-30"
# Statistical codes are zero-padded: 2 digits (province), 3 (district), 5 (commune).
PREFIXES = [
    ("Thành phố", {1: "thanh_pho_tw", 2: "thanh_pho"}),
    ("Tỉnh", {1: "tinh"}),
    ("Quận", {2: "quan"}),
    ("Huyện", {2: "huyen"}),
    ("Thị xã", {2: "thi_xa"}),
    ("Phường", {3: "phuong"}),
    ("Thị trấn", {3: "thi_tran"}),
    ("Xã", {3: "xa"}),
]


def kind_of(name: str, level: int) -> str:
    for prefix, kinds in PREFIXES:
        if name.startswith(prefix + " ") and level in kinds:
            return kinds[level]
    raise ValueError(f"no kind for {name!r} at level {level}")


def main() -> None:
    data = json.loads(files("vietnam_provinces").joinpath("data/nested-divisions.json").read_text())
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "level", "kind", "parent_code", "valid_from", "valid_to"])
    for province in sorted(data, key=lambda p: p["code"]):
        if province["code"] not in PROVINCES:
            continue
        pcode = str(province["code"])
        out.writerow([pcode, province["name"], 1, kind_of(province["name"], 1), "", "", LAST_DAY])
        for district in province["districts"]:
            dcode = str(district["code"])
            out.writerow(
                [dcode, district["name"], 2, kind_of(district["name"], 2), pcode, "", LAST_DAY]
            )
            for ward in district["wards"]:
                out.writerow(
                    [ward["code"], ward["name"], 3, kind_of(ward["name"], 3), dcode, "", LAST_DAY]
                )


if __name__ == "__main__":
    main()
