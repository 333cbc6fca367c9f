"""The kiosk, the ticket and the display (public), and the officer's page (desk officers)."""

import re

import pytest

from egov.accounts.models import Role
from egov.queueing import services
from egov.queueing.models import Ticket


def test_the_kiosk_gives_a_printable_ticket(client, desk, fields):
    services.issue(desk, field=fields["ho_tich"])
    page = client.get(f"/so-thu-tu/{desk.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lấy số thứ tự" in html and "Bộ phận Một cửa Sở Tư pháp" in html
    assert "Hộ tịch" in html and "Đất đai" in html and "Y tế" not in html
    assert "1 người đang chờ" in html  # civil status already has one

    answer = client.post(f"/so-thu-tu/{desk.pk}/", {"field": fields["ho_tich"].pk})
    ticket = Ticket.objects.latest("number")
    assert answer.status_code == 302
    assert answer["Location"] == f"/so-thu-tu/{desk.pk}/phieu/{ticket.public_id}/"
    html = client.get(answer["Location"]).content.decode()
    assert "A002" in html and "Hộ tịch" in html and "Bộ phận Một cửa Sở Tư pháp" in html
    assert re.search(r"Số người chờ trước bạn</dt><dd>1</dd>", html)
    assert ticket.issued_at.astimezone().strftime("%d/%m/%Y") in html
    assert 'src="/static/queueing/ticket.js"' in html and "data-print hidden" in html
    assert "http-equiv" not in html  # a phone's ticket stays where it is


def test_a_kiosk_device_prints_and_comes_back(client, desk, fields):
    page = client.get(f"/so-thu-tu/{desk.pk}/?in=1").content.decode()
    assert '<input type="hidden" name="in" value="1">' in page
    answer = client.post(f"/so-thu-tu/{desk.pk}/", {"field": fields["dat_dai"].pk, "in": "1"})
    assert answer["Location"].endswith("/?in=1")
    html = client.get(answer["Location"]).content.decode()
    assert "data-auto-print" in html
    assert f'content="20;url=/so-thu-tu/{desk.pk}/?in=1"' in html


def test_a_desk_without_fields_offers_one_queue(client, other_desk):
    html = client.get(f"/so-thu-tu/{other_desk.pk}/").content.decode()
    assert "Tất cả thủ tục" in html
    answer = client.post(f"/so-thu-tu/{other_desk.pk}/", {"field": ""})
    assert answer.status_code == 302
    assert Ticket.objects.get().label == "001"


@pytest.mark.parametrize("value", ["999", "abc", "1 OR 1=1"])
def test_the_kiosk_refuses_a_field_it_does_not_offer(client, desk, fields, value):
    answer = client.post(f"/so-thu-tu/{desk.pk}/", {"field": value})
    assert answer.status_code == 400
    assert "Hãy chọn một trong các lĩnh vực" in answer.content.decode()
    answer = client.post(f"/so-thu-tu/{desk.pk}/", {"field": fields["y_te"].pk})
    assert answer.status_code == 400
    assert not Ticket.objects.exists()


def test_unknown_and_closed_desks_are_not_found(client, desk, other_desk):
    other_desk.is_active = False
    other_desk.save()
    for path in ("/so-thu-tu/{}/", "/so-thu-tu/{}/man-hinh/"):
        assert client.get(path.format(other_desk.pk)).status_code == 404
        assert client.get(path.format(desk.pk + 1000)).status_code == 404
    assert client.post(f"/so-thu-tu/{other_desk.pk}/").status_code == 404
    ticket = services.issue(desk, field=desk.queue_fields.first().field)
    # A ticket's address names its desk: another desk's address does not show it.
    assert client.get(f"/so-thu-tu/{other_desk.pk}/phieu/{ticket.public_id}/").status_code == 404


def test_the_kiosk_is_rate_limited_per_address(client, desk, fields, settings):
    settings.EGOV_QUEUE_ISSUE_RATE = "3/m"
    for _ in range(3):
        assert (
            client.post(f"/so-thu-tu/{desk.pk}/", {"field": fields["ho_tich"].pk}).status_code
            == 302
        )
    refused = client.post(f"/so-thu-tu/{desk.pk}/", {"field": fields["ho_tich"].pk})
    assert refused.status_code == 429
    assert "Thiết bị này đã lấy quá nhiều số" in refused.content.decode()
    assert Ticket.objects.count() == 3
    # The API takes from the same budget; another address has its own.
    api = client.post(
        f"/api/v1/queue/desks/{desk.pk}/tickets",
        {"field": "ho_tich"},
        content_type="application/json",
    )
    assert api.status_code == 429
    other = client.post(
        f"/so-thu-tu/{desk.pk}/", {"field": fields["ho_tich"].pk}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302
    # Looking at the kiosk costs nothing.
    assert client.get(f"/so-thu-tu/{desk.pk}/").status_code == 200


def test_the_display_shows_the_calls_and_refreshes_itself(client, desk, fields, officer):
    services.issue(desk, field=fields["ho_tich"])
    services.issue(desk, field=fields["dat_dai"])
    services.call_next(desk, officer=officer)
    answer = client.get(f"/so-thu-tu/{desk.pk}/man-hinh/")
    html = answer.content.decode()
    assert "data-now-ticket>A001</span>" in html and "data-now-counter>3</span>" in html
    assert "<td>A001</td><td>3</td>" in html
    assert "Đang chờ: <span data-waiting>1</span>" in html
    assert 'aria-live="polite"' in html
    assert '<noscript><meta http-equiv="refresh" content="15"></noscript>' in html
    assert f'data-source="/api/v1/queue/desks/{desk.pk}/display"' in html
    assert 'data-announce="Mời số {ticket} đến quầy {counter}."' in html
    # The Content-Security-Policy allows no inline script: every script is a file.
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "script-src 'self'" in answer["Content-Security-Policy"]


def test_the_officer_page_is_for_the_desks_officers(client, desk, make_staff, agencies, citizen):
    url = f"/staff/queue/{desk.pk}/"
    answer = client.get(url)
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    assert client.post(f"{url}call/").status_code == 403
    for username, agency, role in [
        ("yte", "health", Role.DESK_OFFICER),
        ("chuyenvien", "justice", Role.SPECIALIST),
    ]:
        client.force_login(make_staff(username, agencies[agency], role))
        assert client.get(url).status_code == 404
        assert client.post(f"{url}call/").status_code == 404
        assert client.post(f"{url}counter/", {"label": "1"}).status_code == 404


def test_an_officer_works_the_queue_from_the_page(client, desk, fields, make_staff, agencies):
    officer = make_staff("motcua", agencies["justice"], Role.DESK_OFFICER)
    client.force_login(officer)
    assert client.get("/staff/queue/")["Location"] == f"/staff/queue/{desk.pk}/"
    page = client.get(f"/staff/queue/{desk.pk}/").content.decode()
    assert "Lưu quầy của bạn ở dưới" in page and "Gọi số tiếp theo" not in page
    assert '<a href="/staff/queue/">Số thứ tự</a>' in page  # the staff navigation

    bad = client.post(f"/staff/queue/{desk.pk}/counter/", {"label": ""})
    assert bad.status_code == 400 and "Hãy nhập quầy" in bad.content.decode()
    client.post(
        f"/staff/queue/{desk.pk}/counter/", {"label": "Quầy 2", "served": [fields["ho_tich"].pk]}
    )
    saved = services.counter_of(desk, officer)
    assert saved.label == "Quầy 2" and list(saved.fields.all()) == [fields["ho_tich"]]

    services.issue(desk, field=fields["dat_dai"])
    mine = services.issue(desk, field=fields["ho_tich"])
    page = client.get(f"/staff/queue/{desk.pk}/").content.decode()
    assert "Gọi số tiếp theo đến quầy Quầy 2" in page
    answer = client.post(f"/staff/queue/{desk.pk}/call/", follow=True)
    html = answer.content.decode()
    assert "Số A002 được mời đến quầy Quầy 2." in html
    assert '<p class="officer-number">A002</p>' in html

    base = f"/staff/queue/{desk.pk}/tickets/{mine.public_id}"
    assert "được gọi lại" in client.post(f"{base}/recall/", follow=True).content.decode()
    assert "đã được phục vụ" in client.post(f"{base}/serve/", follow=True).content.decode()
    mine.refresh_from_db()
    assert mine.status == Ticket.Status.SERVED and mine.call_count == 2
    again = client.post(f"{base}/no-show/", follow=True).content.decode()
    assert "không ở trạng thái đang gọi" in again
    assert client.post(f"{base}/explode/").status_code == 404
    answer = client.post(f"/staff/queue/{desk.pk}/call/", follow=True).content.decode()
    assert "Không còn ai chờ" in answer


def test_another_agencys_ticket_is_not_found(client, desk, other_desk, fields, neighbour, officer):
    services.issue(desk, field=fields["ho_tich"])
    ticket = services.call_next(desk, officer=officer)
    client.force_login(neighbour)
    for action in ("recall", "serve", "no-show"):
        path = f"/staff/queue/{other_desk.pk}/tickets/{ticket.public_id}/{action}/"
        assert client.post(path).status_code == 404
        path = f"/staff/queue/{desk.pk}/tickets/{ticket.public_id}/{action}/"
        assert client.post(path).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CALLED
