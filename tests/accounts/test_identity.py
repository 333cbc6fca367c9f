import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from egov.accounts.identity import (
    BIRTH_PROVINCE_CODES,
    birth_year_from_citizen_id,
    validate_citizen_id,
)
from egov.accounts.models import User


def test_a_real_shaped_number_passes_and_gives_the_birth_year():
    validate_citizen_id("092190012345", datetime.date(1990, 5, 17))
    assert birth_year_from_citizen_id("092190012345") == 1990
    assert birth_year_from_citizen_id("079305001234") == 2005


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("09219001234", "citizen_id_format"),
        ("0921900123456", "citizen_id_format"),
        ("09219001234a", "citizen_id_format"),
        ("003190012345", "citizen_id_province"),  # 003 is not a province code
        ("092399012345", "citizen_id_year"),  # born in 2099
    ],
)
def test_bad_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as info:
        validate_citizen_id(value)
    assert info.value.code == code


def test_number_must_agree_with_the_date_of_birth():
    with pytest.raises(ValidationError) as info:
        validate_citizen_id("092190012345", datetime.date(1991, 1, 1))
    assert "1990" in info.value.messages[0]


@given(
    province=st.sampled_from(sorted(BIRTH_PROVINCE_CODES)),
    sex_century=st.sampled_from("0123"),
    year=st.integers(0, 99),
    rest=st.from_regex(r"\A\d{6}\Z"),
)
def test_every_well_formed_past_number_passes(province, sex_century, year, rest):
    value = f"{province}{sex_century}{year:02d}{rest}"
    if birth_year_from_citizen_id(value) <= datetime.date.today().year:
        validate_citizen_id(value)


@pytest.mark.django_db
def test_user_clean_reports_the_field(agencies):
    user = User(username="x", kind="citizen", email="x@example.vn", citizen_id="12345")
    with pytest.raises(ValidationError) as info:
        user.full_clean(exclude=["password"])
    assert "citizen_id" in info.value.message_dict


@pytest.mark.django_db
def test_citizen_needs_email_or_phone_and_staff_needs_an_agency():
    with pytest.raises(ValidationError):
        User(username="a", kind="citizen").full_clean(exclude=["password"])
    with pytest.raises(ValidationError) as info:
        User(username="b", kind="staff").full_clean(exclude=["password"])
    assert "agency" in info.value.message_dict
