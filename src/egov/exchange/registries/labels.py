"""What each registry's answer is called, for the desk's view of a registry extract (the keys
are the registries' protocol names: population, civil_status, business, land)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

FACTS = {
    "so_dinh_danh": _("Personal identification number"),
    "ho_ten": _("Full name"),
    "ngay_sinh": _("Date of birth"),
    "gioi_tinh": _("Sex"),
    "quoc_tich": _("Nationality"),
    "que_quan": _("Hometown"),
    "noi_thuong_tru": _("Permanent residence"),
    "noi_sinh": _("Place of birth"),
    "dan_toc": _("Ethnic group"),
    "ho_ten_cha": _("Father's full name"),
    "ho_ten_me": _("Mother's full name"),
    "so_dang_ky_khai_sinh": _("Birth register entry number"),
    "quyen_so": _("Register book"),
    "ngay_dang_ky_khai_sinh": _("Birth registered on"),
    "noi_dang_ky_khai_sinh": _("Birth registered by"),
    "ho_ten_chong": _("Husband's full name"),
    "so_dinh_danh_chong": _("Husband's identification number"),
    "ho_ten_vo": _("Wife's full name"),
    "so_dinh_danh_vo": _("Wife's identification number"),
    "so_dang_ky_ket_hon": _("Marriage register entry number"),
    "ngay_dang_ky_ket_hon": _("Marriage registered on"),
    "noi_dang_ky_ket_hon": _("Marriage registered by"),
    "ma_so_doanh_nghiep": _("Enterprise code (tax code)"),
    "ten_doanh_nghiep": _("Enterprise name"),
    "ten_viet_tat": _("Abbreviated name"),
    "loai_hinh": _("Type of enterprise"),
    "ngay_dang_ky_lan_dau": _("First registered on"),
    "dia_chi_tru_so": _("Head office"),
    "nguoi_dai_dien": _("Legal representative"),
    "chuc_danh_nguoi_dai_dien": _("Representative's title"),
    "von_dieu_le": _("Charter capital (VND)"),
    "nganh_nghe_chinh": _("Main line of business"),
    "tinh_trang": _("Operating status"),
    "ma_xa": _("Commune or ward code"),
    "so_to": _("Map sheet number"),
    "so_thua": _("Parcel number"),
    "dia_chi": _("Parcel address"),
    "dien_tich": _("Area (m²)"),
    "muc_dich_su_dung": _("Land use"),
    "thoi_han_su_dung": _("Term of use"),
    "nguon_goc": _("Origin of use"),
    "nguoi_su_dung": _("Land users"),
    "so_giay_chung_nhan": _("Certificate issue number"),
    "so_vao_so": _("Certificate register entry"),
    "ngay_cap_giay_chung_nhan": _("Certificate issued on"),
}
SEX = {"nam": _("male"), "nu": _("female")}


def fact_rows(facts: dict[str, Any], names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, value) of each non-empty answer, in the registry's order; an answer this list
    does not name takes its name from ``names`` (the e-form's labels: extracts written before
    the registries' own names were kept hold e-form answers), else keeps its key."""
    names = names or {}
    rows = []
    for key, value in facts.items():
        if value in (None, ""):
            continue
        if key == "gioi_tinh":
            value = SEX.get(str(value), value)
        elif key == "von_dieu_le" and isinstance(value, int):
            value = f"{value:,}".replace(",", ".")
        rows.append((str(FACTS.get(key) or names.get(key) or key), str(value)))
    return rows
