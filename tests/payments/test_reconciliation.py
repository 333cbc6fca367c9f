"""Reconciliation of the gateway's daily statement: every kind of mismatch, bad files, access."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from egov.accounts.models import Role
from egov.payments import gateways, reconciliation
from egov.payments import services as payments
from egov.payments.models import Payment, Refund, Statement
from tests.payments.conftest import notice_params, receive_another

pytestmark = pytest.mark.django_db
HEADER = (
    "vnp_TmnCode,vnp_TxnRef,vnp_TransactionNo,vnp_Amount,vnp_BankCode,vnp_PayDate,"
    "vnp_TransactionType,vnp_TransactionStatus\n"
)


def _online(dossier, citizen, *, settle=True):
    payment, _url = payments.start_online_payment(
        dossier, applicant=citizen, gateway=gateways.get(), client_ip="10.0.0.7", language="vi"
    )
    if settle:
        gateway = gateways.get()
        payments.handle_notice(gateway, _signed_dict(notice_params(payment)))
        payment.refresh_from_db()
    return payment


def _signed_dict(params):
    from urllib.parse import parse_qsl

    from tests.payments.conftest import signed

    return dict(parse_qsl(signed(params)))


def _line(reference, amount, status="00", kind="01"):
    return f"EGOVTEST,{reference},14422574,{amount * 100},NCB,20260105091806,{kind},{status}\n"


@pytest.fixture
def day():
    return datetime.date(2026, 1, 5)  # the PayDate that notice_params sends


@pytest.fixture
def four(received, citizen, record_version, desk_officer):
    """Four online payments: matching, amount differs, we missed the IPN, gateway lacks it."""
    dossiers = [received] + [
        receive_another(citizen, record_version, desk_officer) for _ in range(3)
    ]
    matching = _online(dossiers[0], citizen)
    different = _online(dossiers[1], citizen)
    unconfirmed = _online(dossiers[2], citizen, settle=False)
    not_there = _online(dossiers[3], citizen)
    return matching, different, unconfirmed, not_there


def test_every_kind_of_mismatch(four, day, desk_officer):
    matching, different, unconfirmed, not_there = four
    csv = (
        HEADER
        + _line(matching.txn_ref, 200_000)
        + _line(different.txn_ref, 180_000)
        + _line(unconfirmed.txn_ref, 200_000)
        + _line("260105DEADBEEF00", 50_000)
        + _line("260105DEADBEEF01", 50_000, status="02")  # failed there, unknown here: fine
        # A refund at the gateway that was never recorded here as done.
        + _line(matching.txn_ref, 200_000, kind="02")
    )
    statement, report = reconciliation.import_statement(
        csv.encode(), day=day, actor=desk_officer, filename="vnpay-20260105.csv"
    )
    assert report.ok and report.created == 6
    found = {(m.reference, m.kind) for m in reconciliation.mismatches(statement)}
    assert found == {
        (different.txn_ref, "amount"),
        (unconfirmed.txn_ref, "status"),
        ("260105DEADBEEF00", "missing_here"),
        (not_there.txn_ref, "missing_there"),
        (matching.txn_ref, "refund_missing_here"),
    }


def test_a_bad_file_imports_nothing(day):
    csv = HEADER + _line("A1", 1) + "EGOVTEST,A2,1,12.5,NCB,2026-01-05,01,0\n" + _line("A1", 1)
    statement, report = reconciliation.import_statement(csv.encode(), day=day, actor=None)
    assert statement is None
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "vnp_Amount"),
        (3, "vnp_PayDate"),
        (3, "vnp_TransactionStatus"),
        (4, "vnp_TxnRef"),
    }
    assert not Statement.objects.exists()


def test_missing_columns_are_named(day):
    statement, report = reconciliation.import_statement(
        b"TxnRef,Amount\nA,1\n", day=day, actor=None
    )
    assert statement is None
    assert "vnp_TxnRef" in str(report.errors[0])


def test_the_same_file_twice_is_one_statement(day):
    data = (HEADER + _line("A1", 1)).encode()
    first, _report = reconciliation.import_statement(data, day=day, actor=None)
    again, _report = reconciliation.import_statement(data, day=day, actor=None)
    assert first == again and Statement.objects.count() == 1


def test_the_command_lists_mismatches_and_fails(four, day, tmp_path):
    matching, different, _unconfirmed, not_there = four
    path = tmp_path / "statement.csv"
    path.write_text(HEADER + _line(matching.txn_ref, 200_000), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("reconcile_payments", str(path), "--day", day.isoformat(), stdout=out)
    assert exit_status.value.code == 1
    assert f"{different.txn_ref}\tmissing_there" in out.getvalue()
    assert f"{not_there.txn_ref}\tmissing_there" in out.getvalue()
    assert "1 lines, 2 mismatches" in out.getvalue()


def test_a_matching_statement_passes(day, tmp_path):
    path = tmp_path / "statement.csv"
    path.write_text(HEADER, encoding="utf-8")
    out = io.StringIO()
    call_command("reconcile_payments", str(path), "--day", day.isoformat(), stdout=out)
    assert "0 lines, 0 mismatches" in out.getvalue()


def test_payments_of_another_day_are_not_expected(received, citizen, tmp_path):
    payment = _online(received, citizen)
    Payment.objects.filter(pk=payment.pk).update(
        paid_at=timezone.now() - datetime.timedelta(days=400)
    )
    statement, _report = reconciliation.import_statement(
        HEADER.encode(), day=datetime.date(2026, 1, 5), actor=None
    )
    assert reconciliation.mismatches(statement) == []


def test_the_page_for_city_wide_administrators(client, make_staff, agencies, day, four):
    admin = make_staff("quantri", agencies["city"], Role.AGENCY_ADMIN, include_subtree=True)
    client.force_login(admin)
    matching = four[0]
    upload = io.BytesIO((HEADER + _line(matching.txn_ref, 200_000)).encode())
    upload.name = "vnpay.csv"
    response = client.post(
        reverse("payments_staff:statements"), {"day": day.isoformat(), "file": upload}
    )
    statement = Statement.objects.get()
    assert response.url == reverse("payments_staff:statement", args=[statement.pk])
    page = client.get(response.url).content.decode()
    assert "Chỉ có ở đây, không có trong bảng kê của cổng" in page
    assert four[3].txn_ref in page


def test_a_bad_upload_shows_what_to_fix(client, make_staff, agencies, day):
    client.force_login(make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN))
    upload = io.BytesIO(b"vnp_TxnRef,vnp_Amount,vnp_TransactionStatus\nA,abc,00\n")
    upload.name = "vnpay.csv"
    page = client.post(
        reverse("payments_staff:statements"), {"day": day.isoformat(), "file": upload}
    )
    assert page.status_code == 200
    assert "vnp_Amount" in page.content.decode()
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    ("role", "agency", "subtree"),
    [
        (Role.DESK_OFFICER, "city", True),
        (Role.AGENCY_ADMIN, "justice", True),  # a department, not the whole city
        (Role.AGENCY_ADMIN, "city", False),
    ],
)
def test_others_may_not_reconcile(client, make_staff, agencies, role, agency, subtree):
    client.force_login(make_staff("someone", agencies[agency], role, include_subtree=subtree))
    assert client.get(reverse("payments_staff:statements")).status_code == 403


def test_refunds_are_compared_with_the_refunds_done_here(received, citizen, day):
    payment = _online(received, citizen)
    done_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Refund.objects.create(
        payment=payment,
        amount=100_000,
        reason="Hoàn một phần",
        gateway="vnpay",
        status=Refund.Status.DONE,
        done_at=done_at,
    )
    csv = HEADER + _line(payment.txn_ref, 200_000) + _line(payment.txn_ref, 150_000, kind="03")
    statement, _report = reconciliation.import_statement(csv.encode(), day=day, actor=None)
    [mismatch] = reconciliation.mismatches(statement)
    assert (mismatch.kind, mismatch.reference) == ("refund_amount", payment.txn_ref)
    totals = reconciliation.totals(statement)
    assert (totals.gateway_refunded, totals.refunded) == (150_000, 100_000)
    assert not totals.balanced
