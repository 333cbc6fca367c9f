"""The citizen's "who looked up my data" page (Law 91/2025): their look-ups, never another's."""

import json

import pytest
from django.urls import reverse

from egov.accounts import services as accounts
from egov.accounts.models import User
from egov.exchange import services
from tests.conftest import PASSWORD

MINE = "001203004567"
THEIRS = "079190001234"


def look_up(client, caller, personal_id: str) -> None:
    body = json.dumps({"so_dinh_danh": personal_id}).encode()
    answer = caller.call(client, "cong-dan/tra-cuu", body, method="POST", subject=personal_id)
    assert answer.status_code == 200


@pytest.fixture
def me(citizen):
    citizen.citizen_id = MINE
    citizen.save(update_fields=["citizen_id"])
    return citizen


def test_the_page_lists_my_look_ups_with_who_when_purpose_and_legal_basis(client, caller, me):
    look_up(client, caller, MINE)
    client.force_login(me)
    page = client.get(reverse("portal:data_lookups")).content.decode()
    assert "Ai đã tra cứu dữ liệu của tôi" in page
    assert "Sở Tư pháp" in page  # the member that asked
    assert "Hệ thống một cửa" in page  # its system
    assert "Cơ sở dữ liệu quốc gia về dân cư" in page
    assert "Giải quyết thủ tục hành chính" in page
    assert "Nghị định 107/2021/NĐ-CP" in page
    assert "1 lượt tra cứu" in page


def test_another_citizens_look_ups_never_show(client, caller, me):
    look_up(client, caller, THEIRS)
    look_up(client, caller, THEIRS)
    accounts.create_user(
        actor=None,
        username="nguoikhac",
        password=PASSWORD,
        kind=User.Kind.CITIZEN,
        email="nguoikhac@example.vn",
        full_name="Người Khác",
    )
    client.force_login(me)
    page = client.get(reverse("portal:data_lookups")).content.decode()
    assert "Chưa có cơ quan, hệ thống nào tra cứu dữ liệu của bạn" in page
    assert "Sở Tư pháp" not in page
    look_up(client, caller, MINE)
    page = client.get(reverse("portal:data_lookups")).content.decode()
    assert "1 lượt tra cứu" in page  # mine only, not the two about the other person


def test_the_legal_basis_is_the_one_in_force_at_the_time(client, caller, me):
    look_up(client, caller, MINE)
    services.revoke_right(actor=None, right=caller.client.rights.get(), reason="Hết hạn")
    services.grant_right(
        actor=None,
        client=caller.client,
        service=caller.service,
        purpose="Kiểm tra",
        legal_basis="Luật 91/2025/QH15",
    )
    client.force_login(me)
    page = client.get(reverse("portal:data_lookups")).content.decode()
    assert "Nghị định 107/2021/NĐ-CP" in page
    assert "Luật 91/2025/QH15" not in page


def test_without_an_identification_number_the_page_says_how_to_add_it(client, caller, citizen):
    look_up(client, caller, MINE)
    client.force_login(citizen)
    page = client.get(reverse("portal:data_lookups")).content.decode()
    assert reverse("portal:profile") in page
    assert "Sở Tư pháp" not in page


def test_the_page_needs_a_sign_in_and_the_profile_links_to_it(client, me):
    assert client.get(reverse("portal:data_lookups")).status_code == 302
    client.force_login(me)
    assert reverse("portal:data_lookups") in client.get(reverse("portal:profile")).content.decode()
