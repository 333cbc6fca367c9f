import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from egov.postal import checks, tariff


def test_the_fee_depends_on_the_destination_zone_and_the_weight():
    same = tariff.quote(destination_province="92", pick_up=True, deliver_result=False)
    region = tariff.quote(destination_province="86", pick_up=True, deliver_result=False)
    other = tariff.quote(destination_province="01", pick_up=True, deliver_result=False)
    heavy = tariff.quote(
        destination_province="92", pick_up=True, deliver_result=False, weight_class="2kg"
    )
    assert (same.area, region.area, other.area) == ("same_province", "same_region", "other_region")
    assert same.total == 22000 and region.total == 28000 and other.total == 35000
    assert heavy.total == 42000


def test_both_ways_adds_the_delivery_of_the_result_at_the_first_weight_step():
    both = tariff.quote(
        destination_province="01", pick_up=True, deliver_result=True, weight_class="1kg"
    )
    assert [(line.direction, line.weight_class, line.amount) for line in both.lines] == [
        ("pick_up", "1kg", 60000),
        ("delivery", "250g", 35000),
    ]
    assert both.total == 95000
    assert both.area_label == "liên vùng"


def test_an_installation_can_use_its_own_tariff(settings, tmp_path):
    data = json.loads(tariff.DEFAULT_FILE.read_text())
    data["prices"]["same_province"]["250g"] = 17500
    data["source"] = "Hợp đồng với Bưu điện thành phố, 2026"
    own = tmp_path / "tariff.json"
    own.write_text(json.dumps(data))
    settings.EGOV_POSTAL_TARIFF_FILE = str(own)
    assert tariff.quote(destination_province="92", pick_up=True, deliver_result=False).total == (
        17500
    )
    assert tariff.current().source.startswith("Hợp đồng")


def test_a_tariff_that_misses_a_weight_step_is_refused_at_start_up(settings, tmp_path):
    data = json.loads(tariff.DEFAULT_FILE.read_text())
    del data["prices"]["other_region"]["2kg"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    with pytest.raises(ImproperlyConfigured):
        tariff.load(broken)
    settings.EGOV_POSTAL_TARIFF_FILE = str(broken)
    assert [error.id for error in checks.tariff_readable(None)] == ["egov.postal.E001"]


def test_the_packaged_tariff_says_it_is_demo_data_and_covers_every_province():
    from vietnam_provinces import Province

    demo = tariff.current()
    assert "Demo data" in demo.source
    assert {f"{p.code:02d}" for p in Province.iter_all()} == set(demo.region_of)
