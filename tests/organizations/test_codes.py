import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from egov.organizations.codes import agency_code_level, validate_agency_code


@pytest.mark.parametrize(
    ("code", "level"),
    [("000.00.00.H13", 1), ("000.00.01.H13", 2), ("000.01.05.H13", 3), ("001.01.05.G12", 4)],
)
def test_valid_codes_and_their_level(code, level):
    validate_agency_code(code)
    assert agency_code_level(code) == level


@pytest.mark.parametrize(
    "code",
    [
        "",
        "000.00.01.h13",
        "000.00.01.H1",
        "00.00.01.H13",
        "000-00-01-H13",
        "000.00.01.H13 ",
        "000.01.00.H13",
        "001.00.01.H13",
    ],
)
def test_malformed_codes_are_refused_with_an_example(code):
    with pytest.raises(ValidationError) as info:
        validate_agency_code(code)
    assert "H13" in " ".join(info.value.messages) or "level" in " ".join(info.value.messages)


@given(st.from_regex(r"\A\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}\Z"))
def test_any_well_formed_code_either_passes_or_names_the_gap(code):
    try:
        level = agency_code_level(code)
    except ValidationError as exc:
        assert exc.code == "agency_code_gap"
    else:
        assert 1 <= level <= 4
