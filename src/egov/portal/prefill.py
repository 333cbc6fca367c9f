"""Profile data that pre-fills an e-form, by the field names the catalogue uses.

Only fields that describe the applicant are filled. A date of birth is filled only where the
form asks for the applicant's own name too (``ho_ten``): in a birth registration ``ngay_sinh`` is
the child's. The citizen sees and may change every pre-filled answer before saving.
"""

from egov.accounts.models import User

BY_FIELD = {
    "ho_ten": "full_name",
    "ho_ten_nguoi_yeu_cau": "full_name",
    "ho_va_ten": "full_name",
    "so_dinh_danh": "citizen_id",
    "so_cccd": "citizen_id",
    "so_dinh_danh_ca_nhan": "citizen_id",
    "email": "email",
    "so_dien_thoai": "phone",
    "dia_chi": "address",
    "dia_chi_lien_he": "address",
    "noi_cu_tru": "address",
    "noi_o_hien_tai": "address",
}
# Filled only when the form also has the applicant's name field.
WITH_OWN_NAME = {"ngay_sinh": "date_of_birth"}


def _value(user: User, attribute: str):
    value = getattr(user, attribute, None)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value or ""


def _hinted(user: User, spec: dict, attribute: str):
    """A value for a field whose layout names the profile entry to fill it with."""
    if attribute == "address" and spec.get("type") == "object":
        unit = user.address_unit if user.address_unit_id else None
        if unit and user.address_street:
            return {"unit": unit.code, "street": user.address_street}
        return None
    return _value(user, attribute)


def from_profile(user: User, schema: dict, ui: dict | None = None) -> dict:
    """Answers from the profile: by the field's ``prefill`` hint (set in the designer), else by
    the catalogue's usual field names."""
    fields = schema.get("properties", {})
    mapping = dict(BY_FIELD)
    if "ho_ten" in fields:
        mapping.update(WITH_OWN_NAME)
    answers = {}
    for field, attribute in mapping.items():
        if field in fields and (value := _value(user, attribute)):
            answers[field] = value
    for field, hints in (ui or {}).items():
        if field in fields and hints.get("prefill"):
            value = _hinted(user, fields[field], hints["prefill"])
            if value:
                answers[field] = value
            else:
                answers.pop(field, None)
    return answers
