import pytest

from egov.catalog import search, services

pytestmark = pytest.mark.django_db


def names(results):
    return [v.name for v in results]


@pytest.mark.parametrize(
    "query",
    [
        "khai sinh",
        "KHAI SINH",
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "  đăng   KÝ  khai  sinh ",
    ],
)
def test_accents_and_case_do_not_matter(catalogue, query):
    assert names(search.search(query))[0] == "Đăng ký khai sinh"


def test_ranking_prefers_the_name_itself(catalogue):
    found = names(search.search("khai sinh"))
    assert found[:2] == ["Đăng ký khai sinh", "Đăng ký lại khai sinh"]
    assert len(found) == 3


def test_words_match_from_their_start_only(catalogue):
    assert names(search.search("sinh")) != []
    assert names(search.search("inh")) == []  # not inside a word
    assert names(search.search("ly lich")) == ["Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"]


def test_code_finds_its_procedure_first(catalogue):
    assert names(search.search("2.000815")) == ["Chứng thực bản sao từ bản chính"]


def test_filters(catalogue, agencies):
    assert set(names(search.search(field="chung_thuc"))) == {"Chứng thực bản sao từ bản chính"}
    assert len(search.search(level="province")) == 2
    assert names(search.search("khai sinh", online_mode="partial"))[0].startswith("Liên thông")
    assert names(search.search(agency=agencies["health"].code)) == [
        "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"
    ]
    assert names(search.search(agency=agencies["city"].code)) == [
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    ]  # receives it


def test_drafts_and_future_versions_are_not_found(catalogue, agencies):
    from tests.catalog_fixtures import make_procedure

    make_procedure(
        "9.000001", "Đăng ký khai sinh lưu động", owner=agencies["justice"], publish=False
    )
    assert "Đăng ký khai sinh lưu động" not in names(search.search("khai sinh"))
    draft = services.start_draft(catalogue["birth"].procedure, actor=None)
    services.update_draft(draft, actor=None, name="Đăng ký khai sinh (mới)")
    import datetime

    services.publish(draft, actor=None, effective_from=datetime.date(2099, 1, 1))
    assert names(search.search("khai sinh"))[0] == "Đăng ký khai sinh"
    future = search.search("dang ky khai sinh", day=datetime.date(2099, 1, 2))
    assert names(future)[0] == "Đăng ký khai sinh (mới)"


def test_the_whole_list_is_in_vietnamese_alphabetical_order(catalogue, agencies):
    from tests.catalog_fixtures import make_procedure

    make_procedure("9.000001", "Duyệt phương án", owner=agencies["justice"])
    make_procedure("9.000002", "Ấn định mức thu", owner=agencies["justice"])
    assert names(search.search()) == [
        "Ấn định mức thu",
        "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Chứng thực bản sao từ bản chính",
        "Duyệt phương án",  # D before Đ, whatever follows
        "Đăng ký khai sinh",
        "Đăng ký lại khai sinh",
        "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo "
        "hiểm y tế cho trẻ em dưới 6 tuổi",
    ]
