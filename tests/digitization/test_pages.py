"""The pages and the API: the desk's page, the citizen's store and the offer at submission."""

import pytest
from django.urls import reverse

from egov.accounts.models import Role
from egov.digitization.models import Paper, Reuse
from egov.dossiers import services as dossiers
from tests.digitization.conftest import scanned_page, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(versions, citizen, no_scanner):
    return submit(versions["land"], citizen)


def test_the_desk_digitises_from_its_page(client, desk, earlier):
    client.force_login(desk)
    url = reverse("digitization_staff:dossier", args=[earlier.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Số hóa hồ sơ" in page.content.decode()
    requirement = earlier.procedure_version.requirements.get(name__startswith="Giấy chứng nhận")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url,
        {
            "requirement": requirement.pk,
            "number": "CS 1",
            "issuer": "Sở Tài nguyên và Môi trường",
            "issued_on": "2024-03-01",
            "scans": [SimpleUploadedFile("trang1.png", scanned_page(["Số 1"]), "image/png")],
        },
    )
    assert response.status_code == 302
    paper = Paper.objects.get(source=Paper.Source.DESK)
    assert paper.number == "CS 1" and paper.pages == 1
    download = client.get(
        reverse("digitization_staff:paper", args=[earlier.public_id, paper.public_id])
    )
    assert download.status_code == 200


def test_another_agencys_official_gets_404(client, make_staff, agencies, earlier):
    client.force_login(make_staff("yte", agencies["health"], Role.DESK_OFFICER))
    url = reverse("digitization_staff:dossier", args=[earlier.public_id])
    assert client.get(url).status_code == 404
    paper = Paper.objects.filter(dossier=earlier).first()
    assert (
        client.get(
            reverse("digitization_staff:paper", args=[earlier.public_id, paper.public_id])
        ).status_code
        == 404
    )


def test_the_citizen_sees_downloads_and_reuses_their_papers(client, citizen, earlier, versions):
    client.force_login(citizen)
    store = client.get(reverse("digitization:store")).content.decode()
    assert "Giấy chứng nhận quyền sử dụng đất" in store
    paper = Paper.objects.filter(owner=citizen).first()
    assert client.get(reverse("digitization:download", args=[paper.public_id])).status_code == 200
    version = versions["other"]
    draft = dossiers.start(
        applicant=citizen, version=version, agency=dossiers.receiving_agency_for(version)
    )
    page = client.get(reverse("portal:dossier_documents", args=[draft.public_id]))
    assert "Dùng giấy tờ bạn đã có" in page.content.decode()
    requirement = version.requirements.get(name__startswith="Giấy chứng nhận")
    offered = Paper.objects.get(owner=citizen, requirement__name=requirement.name)
    client.post(
        reverse("portal:dossier_reuse_document", args=[draft.public_id]),
        {"paper": offered.public_id, "requirement": requirement.pk},
    )
    assert Reuse.objects.filter(dossier=draft, paper=offered).exists()


def test_another_citizen_cannot_download_a_paper(client, earlier, make_staff):
    from egov.accounts import services as accounts
    from egov.accounts.models import User

    other = accounts.create_user(
        actor=None,
        username="hangxom",
        password="x-Mat-khau-9",
        kind=User.Kind.CITIZEN,
        email="hx@example.vn",
    )
    client.force_login(other)
    paper = Paper.objects.filter(owner=earlier.applicant).first()
    assert client.get(reverse("digitization:download", args=[paper.public_id])).status_code == 404
    assert "Giấy chứng nhận" not in client.get(reverse("digitization:store")).content.decode()


def test_figures_page_excel_and_api(client, desk, earlier):
    client.force_login(desk)
    page = client.get(reverse("digitization_staff:report"))
    assert page.status_code == 200
    excel = client.get(
        reverse("digitization_staff:report"),
        {"start": "2020-01-01", "end": "2099-01-01", "format": "xlsx"},
    )
    assert excel.content[:2] == b"PK"
    api = client.get("/api/v1/digitization/figures", {"start": "2020-01-01", "end": "2099-01-01"})
    assert api.status_code == 200
    assert api.json()["total"]["papers"] == 3


def test_the_api_store_is_the_citizens_own(client, citizen, earlier):
    client.force_login(citizen)
    papers = client.get("/api/v1/me/papers").json()
    assert len(papers) == 3 and {p["source"] for p in papers} == {"online"}
    assert (
        client.get("/api/v1/digitization/figures?start=2020-01-01&end=2020-02-01").status_code
        == 403
    )


def test_staff_see_which_papers_were_reused(client, desk, citizen, earlier, versions):
    version = versions["other"]
    draft = dossiers.start(
        applicant=citizen, version=version, agency=dossiers.receiving_agency_for(version)
    )
    requirement = version.requirements.get(name__startswith="Căn cước")
    from egov.digitization import services

    paper = services.offers(citizen, [requirement])[requirement.pk][0]
    services.reuse(
        draft, applicant=citizen, paper_id=paper.public_id, requirement_id=requirement.pk
    )
    dossiers.save_answers(
        draft,
        applicant=citizen,
        answers={"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
    )
    for other in version.requirements.exclude(pk=requirement.pk):
        from tests.dossiers.conftest import PDF

        dossiers.attach(draft, applicant=citizen, requirement_id=other.pk, name="b.pdf", data=PDF)
    dossiers.submit(draft, applicant=citizen)
    client.force_login(desk)
    page = client.get(reverse("backoffice:dossier", args=[draft.public_id])).content.decode()
    assert page.count("tái sử dụng từ kho dữ liệu của công dân") == 1
    desk_page = client.get(reverse("digitization_staff:dossier", args=[draft.public_id]))
    assert "tái sử dụng từ kho dữ liệu của công dân (Nộp trực tuyến)" in desk_page.content.decode()


def test_an_official_without_a_dossier_role_is_refused_the_figures(client, make_staff, agencies):
    client.force_login(make_staff("vanthu", agencies["justice"], Role.CLERK))
    assert client.get(reverse("digitization_staff:report")).status_code == 403
    assert (
        client.get("/api/v1/digitization/figures?start=2026-01-01&end=2026-01-31").status_code
        == 403
    )


def test_the_store_shows_every_paper_a_page_at_a_time(client, citizen, earlier, monkeypatch):
    from egov.digitization import views

    monkeypatch.setattr(views, "STORE_PAGE", 1)
    mine = list(Paper.objects.filter(owner=citizen).order_by("-created_at", "-id"))
    assert len(mine) >= 2
    client.force_login(citizen)
    pages = [
        client.get(reverse("digitization:store"), {"page": n}).content.decode()
        for n in range(1, len(mine) + 1)
    ]
    for paper, page in zip(mine, pages, strict=True):
        assert str(paper.public_id) in page
        assert sum(str(other.public_id) in page for other in mine) == 1
    assert f"Trang 1 trên {len(mine)}" in pages[0]


def test_the_kinds_a_citizen_may_add_are_found_by_name(client, citizen, versions, monkeypatch):
    import re

    from egov.core.text import normalize_search_text
    from egov.digitization import views

    client.force_login(citizen)

    def offered(**query) -> list[str]:
        page = client.get(reverse("digitization:add"), query).content.decode()
        select = page[page.index('name="kind"') :]
        select = select[: select.index("</select>")]
        return [name for value, name in re.findall(r'value="([^"]+)"[^>]*>([^<]+)<', select)]

    everything = offered()
    assert len(everything) >= 2
    found = offered(q="CHUNG nhan")  # accents and case aside
    assert found and len(found) < len(everything)
    assert all("chung nhan" in normalize_search_text(name) for name in found)
    assert offered(q="khong co loai nay") == []
    monkeypatch.setattr(views, "KINDS_SHOWN", 1)
    page = client.get(reverse("digitization:add")).content.decode()
    assert len(offered()) == 1
    assert "Danh sách dưới đây chỉ có 1 loại giấy tờ đầu tiên tìm thấy" in page
