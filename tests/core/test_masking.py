import logging

from egov.core.masking import (
    MaskPersonalDataFilter,
    mask_citizen_id,
    mask_email,
    mask_phone,
    mask_text,
)


def test_masks_keep_only_what_identifies_a_record():
    assert mask_citizen_id("092190012345") == "********2345"
    assert mask_phone("0912345678") == "091****678"
    assert mask_email("nguyen.van.a@example.vn") == "n***@example.vn"
    assert mask_citizen_id(None) == ""


def test_free_text_is_masked():
    text = "CCCD 092190012345, ĐT 0912345678, thư a.b@example.vn, mã hồ sơ 000.00.03.H13-260101"
    masked = mask_text(text)
    assert "092190012345" not in masked and "2345" in masked
    assert "0912345678" not in masked
    assert "a.b@example.vn" not in masked
    assert "000.00.03.H13-260101" in masked


def test_log_records_are_masked():
    record = logging.LogRecord(
        "egov",
        logging.INFO,
        __file__,
        1,
        "user %s called from %s",
        ("092190012345", "+84912345678"),
        None,
    )
    MaskPersonalDataFilter().filter(record)
    assert "092190012345" not in record.getMessage()
    assert "912345678" not in record.getMessage()
