"""The sync page names the last calls the portal acknowledged, with the status code sent, so an
operator can answer "is this dossier on the national portal?" without reading the database."""

import pytest
from django.urls import reverse

from egov.accounts.models import Role
from egov.national_portal import outbox
from egov.national_portal.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_sync_page_lists_the_last_acknowledged_calls(portal, received, staff_client):
    client, _admin = staff_client(Role.SYSTEM_ADMIN, agency_key="city", username="quantri")
    before = client.get(reverse("national_portal:sync")).content.decode()
    assert "Cổng chưa xác nhận lời gọi nào." in before

    outbox.send_due()
    sent = OutboxMessage.objects.filter(dossier=received, state="sent").order_by("-sequence")
    assert sent.exists()
    page = client.get(reverse("national_portal:sync")).content.decode()
    table = page.split("Những lời gọi Cổng đã xác nhận gần nhất", 1)[1]
    assert f"{received.code}</span> · {sent[0].sequence}" in table
    assert f"{sent[0].portal_code} — " in table
    assert "Đồng bộ hồ sơ (DongBoHoSoMC)" in table or "DongBoHoSoMC" in table
