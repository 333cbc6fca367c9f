"""The VNPAY 2.1.0 wire format: sorted, URL-encoded parameters signed with HMAC-SHA512."""

import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from egov.payments.gateways import Checkout, InvalidSignature, Outcome
from egov.payments.gateways.vnpay import VNPayGateway, encode, sign, signed_query

# VNPAY's integration guide, "Tạo URL Thanh toán" (https://sandbox.vnpayment.vn/apis/docs/
# huong-dan-tich-hop/ and .../thanh-toan-pay/pay.html): the example payment address. Its query
# (without vnp_SecureHash) is exactly what must be signed.
GUIDE_QUERY = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND"
    "&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5"
    "&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl"
    "&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
)
GUIDE_PARAMS = {
    "vnp_Version": "2.1.0",
    "vnp_Command": "pay",
    "vnp_TmnCode": "DEMOV210",
    "vnp_Amount": "1806000",
    "vnp_CreateDate": "20210801153333",
    "vnp_CurrCode": "VND",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_Locale": "vn",
    "vnp_OrderInfo": "Thanh toan don hang :5",
    "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl",
    "vnp_TxnRef": "5",
}

# VNPAY does not publish the secret behind its examples' hashes. This vector, a sandbox IPN with
# its secret, is from the open-source "vnpay" library's test suite (github.com/lehuygiang28/vnpay,
# test/verify-ipn-call.test.ts; documented at https://vnpay.js.org/en/verify-ipn-call).
LIBRARY_SECRET = "test_secret"
LIBRARY_IPN = {
    "vnp_Amount": "1000000",
    "vnp_BankCode": "NCB",
    "vnp_BankTranNo": "VNP14422574",
    "vnp_CardType": "ATM",
    "vnp_OrderInfo": "Thanh toan don hang 2024-05-21T02:17:31.249Z",
    "vnp_PayDate": "20240521091806",
    "vnp_ResponseCode": "00",
    "vnp_TmnCode": "TEST_TMN_CODE",
    "vnp_TransactionNo": "14422574",
    "vnp_TransactionStatus": "00",
    "vnp_TxnRef": "1716257871703",
}
LIBRARY_HASH = (
    "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361d"
    "bf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895"
)


def test_the_query_is_sorted_and_encoded_as_in_vnpays_guide():
    assert encode(GUIDE_PARAMS) == GUIDE_QUERY


def test_the_secure_hash_matches_the_published_vector():
    assert sign(LIBRARY_IPN, LIBRARY_SECRET) == LIBRARY_HASH


def test_the_hash_leaves_out_the_hash_fields_and_foreign_parameters():
    params = {
        **LIBRARY_IPN,
        "vnp_SecureHash": LIBRARY_HASH,
        "vnp_SecureHashType": "HmacSHA512",
        "utm_source": "x",
    }
    assert sign(params, LIBRARY_SECRET) == LIBRARY_HASH


def _gateway():
    return VNPayGateway(
        tmn_code="TEST_TMN_CODE", hash_secret=LIBRARY_SECRET, url="https://pay.test/vpcpay.html"
    )


def test_a_verified_notice():
    notice = _gateway().verify({**LIBRARY_IPN, "vnp_SecureHash": LIBRARY_HASH.upper()})
    assert notice.reference == "1716257871703"
    assert notice.amount == 10_000  # vnp_Amount is đồng × 100
    assert notice.succeeded
    assert notice.transaction_no == "14422574"
    assert notice.bank_code == "NCB"
    assert notice.paid_at == datetime.datetime(2024, 5, 21, 2, 18, 6, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "change",
    [
        {"vnp_Amount": "2000000"},
        {"vnp_ResponseCode": "24"},
        {"vnp_SecureHash": ""},
        {"vnp_SecureHash": "0" * 128},
    ],
)
def test_any_change_breaks_the_signature(change):
    with pytest.raises(InvalidSignature):
        _gateway().verify({**LIBRARY_IPN, "vnp_SecureHash": LIBRARY_HASH, **change})


def test_a_missing_signature_is_refused():
    with pytest.raises(InvalidSignature):
        _gateway().verify(LIBRARY_IPN)


def test_the_payment_address():
    created = datetime.datetime(2021, 8, 1, 8, 33, 33, tzinfo=datetime.UTC)
    url = _gateway().payment_url(
        Checkout(
            reference="2608010A1B2C3D4E5",
            amount=200_000,
            description="Thanh toan phi, le phi ho so X",
            client_ip="10.0.0.7",
            return_url="https://dichvucong.example.vn/thanh-toan/ket-qua/",
            language="vi",
            created_at=created,
            expires_at=created + datetime.timedelta(minutes=15),
        )
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://pay.test/vpcpay.html"
    params = dict(parse_qsl(parts.query))
    assert params["vnp_Amount"] == "20000000"
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_Locale"] == "vn"
    # GMT+7 whatever the server's clock zone.
    assert params["vnp_CreateDate"] == "20210801153333"
    assert params["vnp_ExpireDate"] == "20210801154833"
    names = [name for name, _value in parse_qsl(parts.query)]
    assert names[:-1] == sorted(names[:-1]) and names[-1] == "vnp_SecureHash"
    unsigned = parts.query.rsplit("&vnp_SecureHash=", 1)[0]
    assert params["vnp_SecureHash"] == sign(dict(parse_qsl(unsigned)), LIBRARY_SECRET)
    assert "vnp_ReturnUrl=https%3A%2F%2Fdichvucong.example.vn%2Fthanh-toan%2Fket-qua%2F" in url


def test_english_pages_ask_for_the_english_gateway_page():
    checkout = Checkout(
        "R1", 1, "x", "1.1.1.1", "https://r", "en", *[datetime.datetime.now(datetime.UTC)] * 2
    )
    assert "vnp_Locale=en" in _gateway().payment_url(checkout)


def test_a_notice_of_a_fraction_of_a_dong_has_no_amount():
    params = {**LIBRARY_IPN, "vnp_Amount": "1000050"}
    notice = _gateway().verify(dict(parse_qsl(signed_query(params, LIBRARY_SECRET))))
    assert notice.amount is None


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        (Outcome.CONFIRMED, "00"),
        (Outcome.NOT_FOUND, "01"),
        (Outcome.ALREADY_CONFIRMED, "02"),
        (Outcome.INVALID_AMOUNT, "04"),
        (Outcome.INVALID_SIGNATURE, "97"),
        (Outcome.ERROR, "99"),
    ],
)
def test_ipn_answers_use_vnpays_codes(outcome, code):
    assert _gateway().answer(outcome)["RspCode"] == code
