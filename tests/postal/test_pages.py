"""The delivery step with the postal address, the fees before submitting, the panels."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from egov.accounts.models import Role
from egov.dossiers import services as dossier_services
from egov.postal import services
from egov.postal.models import PostalRequest, Shipment
from tests.conftest import PASSWORD
from tests.postal.conftest import address


@pytest.fixture
def page(client, citizen, complete_draft, units):
    client.force_login(citizen)
    return f"/ho-so/{complete_draft.public_id}/nhan-ket-qua/"


def _form(**changes):
    return {
        "action": "save",
        "result_delivery": "post",
        "pick_up": "on",
        "recipient_name": "Nguyễn Thị Công Dân",
        "phone": "0912345678",
        "street": "Số 12, đường Hòa Bình",
        "province": "92",
        "commune": "31135",
        "weight_class": "250g",
        **changes,
    }


def test_the_form_offers_todays_communes_of_the_agencys_province(client, page):
    html = client.get(page).content.decode()
    assert 'value="31135"' in html and 'value="31186"' in html
    assert 'value="31120"' not in html  # dissolved on 1 July 2025
    assert 'value="00070"' not in html  # Hà Nội's, until Hà Nội is chosen
    assert 'data-units-url="/api/v1/units"' in html


def test_without_script_a_button_lists_the_communes_of_another_province(
    client, page, complete_draft, citizen
):
    services.save_request(
        complete_draft,
        applicant=citizen,
        result_delivery="post",
        pick_up=True,
        address=address(),
    )
    typed = _form(action="communes", province="01", commune="", street="Số 7 Tràng Tiền")
    del typed["pick_up"]  # unticked since it was saved
    response = client.post(page, typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="00070"' in html and 'value="31135"' not in html
    assert "error-summary" not in html
    assert "Số 7 Tràng Tiền" in html  # what was typed stays, nothing is saved yet
    assert "checked" not in re.search(r'<input[^>]*name="pick_up"[^>]*>', html).group(0)
    assert PostalRequest.objects.get().street == "Số 12, đường Hòa Bình"


def test_the_fees_are_shown_before_anything_is_saved(client, page):
    response = client.post(page, _form(action="quote", province="01", commune="00070"))
    html = response.content.decode()
    assert "liên vùng" in html
    assert "35.000 đ" in html  # picking up, and delivering: 70.000 đ in all
    assert "70.000 đ" in html
    assert not PostalRequest.objects.exists()


def test_saving_goes_on_to_the_review_which_lists_the_postal_fees(client, page, complete_draft):
    response = client.post(page, _form(weight_class="1kg"))
    assert response.status_code == 302
    review = client.get(response["Location"]).content.decode()
    assert "Cước bưu chính" in review
    assert "32.000 đ" in review and "22.000 đ" in review and "54.000 đ" in review
    assert "Số 12, đường Hòa Bình, Phường Ninh Kiều, Thành phố Cần Thơ" in review


def test_post_without_an_address_says_what_is_missing(client, page):
    response = client.post(page, _form(street="", phone="", commune=""))
    html = response.content.decode()
    assert "error-summary" in html
    # Each in the summary at the top and next to its field.
    assert html.count("Bắt buộc khi bưu điện nhận hồ sơ hoặc trả kết quả.") == 6
    assert not PostalRequest.objects.exists()


def test_a_commune_of_another_province_is_refused(client, page):
    response = client.post(page, _form(province="92", commune="00070"))
    assert "error-summary" in response.content.decode()
    assert not PostalRequest.objects.exists()


def test_a_bad_phone_number_is_shown_next_to_the_field(client, page):
    response = client.post(page, _form(phone="12"))
    assert "Nhập số điện thoại Việt Nam" in response.content.decode()
    assert not PostalRequest.objects.exists()


def test_online_needs_no_address(client, page, complete_draft):
    response = client.post(page, {"action": "save", "result_delivery": "online", "province": "92"})
    assert response.status_code == 302
    assert not PostalRequest.objects.exists()


def test_the_citizen_follows_the_shipments_on_the_dossier_page(client, citizen, by_post):
    dossier = dossier_services.submit(by_post, applicant=citizen)
    client.force_login(citizen)
    html = client.get(f"/ho-so/{dossier.public_id}/").content.decode()
    assert "Dịch vụ bưu chính công ích" in html
    assert "Chuyển hồ sơ từ người nộp đến cơ quan" in html
    assert "Chờ bưu điện xác nhận" in html


def test_another_citizen_sees_nothing(client, by_post, citizen):
    from egov.accounts import services as accounts

    other = accounts.create_user(
        actor=None, username="khac", password=PASSWORD, kind="citizen", email="k@example.vn"
    )
    client.force_login(other)
    assert client.get(f"/ho-so/{by_post.public_id}/nhan-ket-qua/").status_code == 404


def _panel(dossier, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "postal/backoffice_dossier_panel.html", {"dossier": dossier}, request=request
    )


def test_the_desk_hands_the_result_over_from_the_dossier_page(client, result_ready, desk):
    assert "Giao kết quả cho bưu điện" in _panel(result_ready, desk)
    client.force_login(desk)
    response = client.post(f"/staff/postal/dossiers/{result_ready.public_id}/hand-over/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/dossiers/{result_ready.public_id}/"
    assert Shipment.objects.filter(direction="delivery").count() == 1
    assert "Giao kết quả cho bưu điện" not in _panel(result_ready, desk)
    again = client.post(f"/staff/postal/dossiers/{result_ready.public_id}/hand-over/", follow=True)
    assert "đã được giao cho bưu điện" in again.content.decode()


def test_a_neighbour_desk_gets_404_and_a_citizen_403(
    client, result_ready, agencies, make_staff, citizen
):
    url = f"/staff/postal/dossiers/{result_ready.public_id}/hand-over/"
    client.force_login(make_staff("motcua.yte", agencies["health"], Role.DESK_OFFICER))
    assert client.post(url).status_code == 404
    client.force_login(citizen)
    assert client.post(url).status_code == 403
    assert not Shipment.objects.filter(direction="delivery").exists()


def test_no_button_before_the_result_is_issued(by_post, citizen, desk):
    dossier = dossier_services.submit(by_post, applicant=citizen)
    panel = _panel(dossier, desk)
    assert "Dịch vụ bưu chính công ích" in panel
    assert "Giao kết quả cho bưu điện" not in panel
    services.request_pick_up(dossier)  # already requested at submission: nothing new
    assert Shipment.objects.count() == 1
