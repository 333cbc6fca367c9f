"""Procedures that require a level-2 electronic identity (VNeID mức độ 2) refuse a dossier
submitted after a weaker sign-in (issue 28)."""

import pytest
from django.core.exceptions import ValidationError

from egov.accounts import tokens
from egov.dossiers import services
from egov.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
REFUSAL = "Hãy đăng nhập bằng tài khoản VNeID mức độ 2"


@pytest.fixture
def level_2_draft(complete_draft):
    version = complete_draft.procedure_version
    version.requires_identity_level_2 = True
    version.save(update_fields=["requires_identity_level_2"])
    return complete_draft


def test_a_level_1_citizen_is_refused(level_2_draft, citizen):
    with pytest.raises(ValidationError) as refused:
        services.submit(level_2_draft, applicant=citizen, identity_level=1)
    assert REFUSAL in str(refused.value)
    level_2_draft.refresh_from_db()
    assert level_2_draft.status == Dossier.Status.DRAFT and not level_2_draft.code


def test_a_level_2_sign_in_submits(level_2_draft, citizen):
    dossier = services.submit(level_2_draft, applicant=citizen, identity_level=2)
    assert dossier.status == Dossier.Status.SUBMITTED


def test_other_procedures_take_any_sign_in(complete_draft, citizen):
    dossier = services.submit(complete_draft, applicant=citizen, identity_level=0)
    assert dossier.status == Dossier.Status.SUBMITTED


def test_the_review_page_says_in_vietnamese_to_sign_in_at_level_2(client, level_2_draft, citizen):
    # A session opened with a password carries no identity level, whatever the account's last
    # single sign-on was.
    citizen.identity_level = 2
    citizen.save(update_fields=["identity_level"])
    client.force_login(citizen)
    url = f"/ho-so/{level_2_draft.public_id}/kiem-tra/"
    response = client.post(url, follow=True)
    assert REFUSAL in response.content.decode()
    session = client.session
    session["identity_level"] = 2  # as the SSO callback records it
    session.save()
    client.post(url)
    level_2_draft.refresh_from_db()
    assert level_2_draft.status == Dossier.Status.SUBMITTED


def test_the_api_takes_the_level_of_the_latest_single_sign_on(client, level_2_draft, citizen):
    _record, token = tokens.create(citizen, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    url = f"/api/v1/dossiers/{level_2_draft.public_id}/submit"
    refused = client.post(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 422 and REFUSAL in refused.json()["title"]
    citizen.identity_level = 2
    citizen.save(update_fields=["identity_level"])
    assert client.post(url).json()["status"] == "submitted"
