"""The citizen's postal request on a draft: a structured address on today's units, fees."""

import pytest
from django.core.exceptions import ValidationError

from egov.core.models import AuditEvent
from egov.dossiers import services as dossier_services
from egov.postal import services
from egov.postal.models import PostalRequest
from tests.postal.conftest import address


def test_a_request_keeps_the_structured_address_and_the_quoted_fees(draft, citizen, units):
    request = services.save_request(
        draft,
        applicant=citizen,
        result_delivery="post",
        pick_up=True,
        address=address(commune="00070", province="01", phone="+84 912.345.678"),
        weight_class="1kg",
    )
    assert request.address_commune == units["hoan_kiem"]
    assert request.phone == "+84912345678"
    assert (request.pick_up_fee, request.delivery_fee) == (60000, 35000)
    draft.refresh_from_db()
    assert draft.result_delivery == "post"
    # The dossier's own field holds the formatted address for the code that reads it.
    assert draft.delivery_address == ("Số 12, đường Hòa Bình, Phường Hoàn Kiếm, Thành phố Hà Nội")
    event = AuditEvent.objects.filter(action="postal.request_saved").get()
    assert event.after["commune"] == "00070"
    assert "0912" not in str(event.after) and "Hòa Bình" not in str(event.after)


def test_pick_up_alone_leaves_the_result_online(draft, citizen, units):
    request = services.save_request(
        draft, applicant=citizen, result_delivery="online", pick_up=True, address=address()
    )
    draft.refresh_from_db()
    assert (draft.result_delivery, draft.delivery_address) == ("online", "")
    assert (request.pick_up, request.deliver_result) == (True, False)
    assert (request.pick_up_fee, request.delivery_fee) == (22000, 0)


def test_choosing_no_post_any_more_removes_the_request(draft, citizen, units):
    services.save_request(
        draft, applicant=citizen, result_delivery="post", pick_up=False, address=address()
    )
    assert (
        services.save_request(
            draft, applicant=citizen, result_delivery="desk", pick_up=False, address=None
        )
        is None
    )
    draft.refresh_from_db()
    assert not PostalRequest.objects.exists()
    assert (draft.result_delivery, draft.delivery_address) == ("desk", "")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"commune": "31120"}, "commune", "Phường/xã/đặc khu của Thành phố Cần Thơ"),
        ({"commune": "29242"}, "commune", "Phường/xã/đặc khu của Thành phố Cần Thơ"),
        ({"province": "99"}, "province", "Chọn tỉnh"),
        ({"phone": "12345"}, "phone", "số điện thoại"),
        ({"street": " "}, "street", "số nhà"),
        ({"recipient_name": ""}, "recipient_name", "tên người"),
    ],
    ids=["dissolved ward", "other province's ward", "unknown province", "phone", "street", "name"],
)
def test_a_bad_address_is_refused_with_what_to_fix(draft, citizen, units, changes, field, message):
    parts = {
        "commune": changes.pop("commune", "31135"),
        "province": changes.pop("province", "92"),
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        services.save_request(
            draft,
            applicant=citizen,
            result_delivery="post",
            pick_up=False,
            address=address(**parts),
        )
    assert field in refused.value.error_dict
    assert message.lower() in " ".join(refused.value.error_dict[field][0].messages).lower()
    assert not PostalRequest.objects.exists()
    draft.refresh_from_db()
    assert draft.result_delivery == "online"


def test_every_address_problem_is_reported_at_once(draft, citizen, units):
    with pytest.raises(ValidationError) as refused:
        services.save_request(
            draft,
            applicant=citizen,
            result_delivery="post",
            pick_up=True,
            address=address(phone="", street="", commune=""),
        )
    assert set(refused.value.error_dict) == {"phone", "street", "commune"}


def test_a_submitted_dossier_keeps_its_request(by_post, citizen):
    dossier = dossier_services.submit(by_post, applicant=citizen)
    with pytest.raises(ValidationError):
        services.save_request(
            dossier,
            applicant=citizen,
            result_delivery="post",
            pick_up=True,
            address=address(commune="31186"),
        )
    assert PostalRequest.objects.get().address_commune.code == "31135"
