"""The commune picker: a text box with the communes as suggestions (<input list>, no JavaScript
needed), in Vietnamese alphabetical order; the server reads the typed name (issue 24)."""

import datetime

import pytest

from egov.organizations.models import AdministrativeUnit
from egov.portal.dossier_forms import CommuneForm

pytestmark = pytest.mark.django_db

NAMES = {
    "31117": "Phường Ninh Kiều",
    "31120": "Phường Đông Hiệp",
    "31121": "Phường Dương Kinh",
    "31122": "Xã Thới Lai",
    "31123": "Xã An Bình",
    "31124": "Phường An Bình",
}


@pytest.fixture
def communes(province):
    return {
        code: AdministrativeUnit.objects.create(
            code=code,
            name=name,
            level=3,
            kind="phuong" if name.startswith("Phường") else "xa",
            parent=province,
            valid_from=datetime.date(2025, 7, 1),
        )
        for code, name in NAMES.items()
    }


def _form(value):
    return CommuneForm({"commune": value, "token": "t"}, province_code="92")


def test_the_suggestions_are_in_vietnamese_order(communes):
    html = str(CommuneForm(province_code="92")["commune"])
    assert 'list="commune-list"' in html and '<datalist id="commune-list">' in html
    positions = [html.index(f'value="{name}"') for name in sorted(NAMES.values())]
    order = [
        name for _position, name in sorted(zip(positions, sorted(NAMES.values()), strict=True))
    ]
    assert order == [
        "Phường An Bình",
        "Phường Dương Kinh",
        "Phường Đông Hiệp",
        "Phường Ninh Kiều",
        "Xã An Bình",
        "Xã Thới Lai",
    ]


@pytest.mark.parametrize(
    "typed", ["Phường Ninh Kiều", "phuong ninh kieu", "Ninh Kiều", "  ninh   kieu ", "31117"]
)
def test_a_typed_name_or_code_finds_the_commune(communes, typed):
    form = _form(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == communes["31117"]


@pytest.mark.parametrize("typed", ["An Bình", "Ninh", "Phường Cái Răng", "99999", "Đông Hiệp x"])
def test_an_unknown_or_ambiguous_name_is_refused_with_an_example(communes, typed):
    form = _form(typed)
    assert not form.is_valid()
    assert "Phường An Bình" in form.errors["commune"][0]  # the first of the list, as an example


def test_nothing_typed_is_refused(communes):
    form = _form("")
    assert not form.is_valid()
    assert form.errors["commune"]


def test_a_name_two_units_share_is_offered_with_its_code(communes, province):
    AdministrativeUnit.objects.create(
        code="31199",
        name="Phường Ninh Kiều",
        level=3,
        kind="phuong",
        parent=province,
        valid_from=datetime.date(2025, 7, 1),
    )
    html = str(CommuneForm(province_code="92")["commune"])
    assert 'value="Phường Ninh Kiều (31199)"' in html
    form = _form("Phường Ninh Kiều (31199)")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"].code == "31199"
    assert not _form("Phường Ninh Kiều").is_valid()
