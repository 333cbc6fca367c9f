"""The demo city's tree over time, loaded from the package and the committed data files."""

import datetime

import pytest

from egov.organizations import queries, reference
from egov.organizations.models import AdministrativeUnit, UnitSuccession

pytestmark = pytest.mark.django_db


def _levels_on(day):
    city = queries.unit_as_of("92", day)
    return city, queries.count_levels(queries.subtree_as_of(city, day))


def test_cantho_before_and_after_the_reforms(client):
    created = reference.load_two_tier_tree()
    assert created == 34 + 3321
    reference.load_city_history()

    # Three tiers in 2019: 9 districts and 85 communes and wards.
    city, counts = _levels_on(datetime.date(2019, 6, 1))
    assert city.valid_to == datetime.date(2025, 6, 30)
    assert counts == {2: 9, 3: 85}
    # Resolution 1192/NQ-UBTVQH15 (1 Nov 2024) left 80.
    assert _levels_on(datetime.date(2024, 11, 1))[1] == {2: 9, 3: 80}
    assert _levels_on(datetime.date(2024, 10, 31))[1] == {2: 9, 3: 83}
    # Two tiers from 1 July 2025: no districts, 103 communes, wards and special zones.
    city, counts = _levels_on(datetime.date(2025, 7, 1))
    assert city.valid_from == datetime.date(2025, 7, 1)
    assert counts == {2: 0, 3: 103}

    # Every commune-level unit that ended on 2025-06-30 has a successor in the new city.
    ended = AdministrativeUnit.objects.filter(level=3, valid_to=datetime.date(2025, 6, 30))
    assert ended.count() == 263
    assert not ended.filter(successions_out__isnull=True).exists()
    # Old Cần Thơ, Hậu Giang and Sóc Trăng all lead to the new city.
    new_city = AdministrativeUnit.objects.get(code="92", valid_from=datetime.date(2025, 7, 1))
    assert sorted(s.predecessor.code for s in new_city.successions_in.all()) == ["92", "93", "94"]
    # An Phú went into Thới Bình in 2024; Thới Bình into Ninh Kiều in 2025.
    an_phu = AdministrativeUnit.objects.get(code="31141")
    assert [s.successor.name for s in an_phu.successions_out.all()] == ["Phường Thới Bình"]
    # Bùi Hữu Nghĩa was split between two new wards.
    split = UnitSuccession.objects.filter(predecessor__code="31178")
    assert {s.share for s in split} == {"part"}
    assert split.count() == 2

    # The API answers the same question.
    body = client.get("/api/v1/units/31135", {"as_of": "2025-07-01"}).json()
    assert body["name"] == "Phường Ninh Kiều"
    assert {"Phường Thới Bình", "Phường Tân An", "Phường Xuân Khánh"} <= {
        p["name"] for p in body["predecessors"]
    }
    old = client.get("/api/v1/units", {"as_of": "2019-06-01", "parent": "92"}).json()
    assert len(old) == 9 and {u["kind"] for u in old} == {"quan", "huyen"}

    # Loading again changes nothing.
    assert reference.load_two_tier_tree() == 0


def test_public_page_shows_the_tree_of_a_past_day(client):
    reference.load_two_tier_tree()
    reference.load_city_history()
    page = client.get("/don-vi-hanh-chinh/", {"province": "92", "as_of": "2019-06-01"})
    text = page.content.decode()
    assert "Quận Ninh Kiều" in text and "Phường An Lạc" in text
    page = client.get("/don-vi-hanh-chinh/", {"province": "92", "as_of": "2025-07-01"})
    text = page.content.decode()
    assert "Quận Ninh Kiều" not in text and "Phường Ninh Kiều" in text
    bad = client.get("/don-vi-hanh-chinh/", {"as_of": "31/02/2020"})
    assert bad.status_code == 200
    assert "2019-06-01" in bad.content.decode()  # the error says how to write a date
