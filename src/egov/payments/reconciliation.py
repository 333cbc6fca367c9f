"""Reconciliation (đối soát) of the gateway's daily statement against the payments recorded here.

The statement is a CSV file with one line per transaction, its columns named after the fields of
VNPAY's transaction records (docs/payments.md):

    vnp_TmnCode, vnp_TxnRef, vnp_TransactionNo, vnp_Amount (VND × 100), vnp_BankCode,
    vnp_PayDate (yyyyMMddHHmmss, GMT+7), vnp_TransactionType (01 payment, 02/03 refunds),
    vnp_TransactionStatus (00 success)

A file with any bad line imports nothing. Mismatches are computed when asked for, so a notice that
arrives after the import is taken into account. Refund lines (02, 03) are compared with the refunds
made here through the gateway, so a statement balances when money taken twice was given back.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core import audit
from egov.core.csvio import CsvFormatError, ImportReport, read_rows
from egov.core.templatetags.egov import vnd
from egov.payments.gateways.vnpay import parse_time
from egov.payments.gateways.vnpay import vnd as vnd_amount
from egov.payments.models import Payment, Refund, Statement, StatementLine

REQUIRED = ["vnp_TxnRef", "vnp_Amount", "vnp_TransactionStatus"]
OPTIONAL = [
    "vnp_TmnCode",
    "vnp_TransactionNo",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionType",
]
PAYMENT = "01"
REFUNDS = ("02", "03")  # full, partial
KINDS = {
    "missing_here": gettext_lazy("Paid at the gateway, unknown here"),
    "missing_there": gettext_lazy("Paid here, not in the gateway's statement"),
    "amount": gettext_lazy("The amounts differ"),
    "status": gettext_lazy("The outcomes differ"),
    "refund_missing_here": gettext_lazy("Refunded at the gateway, not recorded here as done"),
    "refund_missing_there": gettext_lazy("Refunded here, not in the gateway's statement"),
    "refund_amount": gettext_lazy("The refunded amounts differ"),
}


@dataclass
class Mismatch:
    kind: str
    reference: str
    ours: Payment | None
    theirs: StatementLine | None
    detail: str

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def _parse(data: bytes, report: ImportReport) -> list[StatementLine]:
    lines, seen = [], set()
    try:
        rows = list(read_rows(data, REQUIRED, OPTIONAL))
    except CsvFormatError as exc:
        report.add(1, "-", str(exc))
        return []
    for number, row in rows:
        before = len(report.errors)
        reference = row["vnp_TxnRef"]
        kind = row.get("vnp_TransactionType") or PAYMENT
        if not reference:
            report.add(number, "vnp_TxnRef", _("This column is required."))
        elif (reference, kind) in seen:
            report.add(number, "vnp_TxnRef", _("This transaction appears twice in the file."))
        seen.add((reference, kind))
        amount = vnd_amount(row["vnp_Amount"])
        if amount is None:
            report.add(
                number,
                "vnp_Amount",
                _("Write the amount in đồng × 100 without separators, e.g. 20000000."),
            )
        status = row["vnp_TransactionStatus"]
        if len(status) != 2 or not status.isdigit():
            report.add(number, "vnp_TransactionStatus", _("Use VNPAY's two-digit status, e.g. 00."))
        paid_at = parse_time(row.get("vnp_PayDate", "")) if row.get("vnp_PayDate") else None
        if row.get("vnp_PayDate") and paid_at is None:
            report.add(number, "vnp_PayDate", _("Write the time as yyyyMMddHHmmss."))
        if len(report.errors) == before:
            lines.append(
                StatementLine(
                    line=number,
                    txn_ref=reference[:100],
                    transaction_no=row.get("vnp_TransactionNo", "")[:50],
                    amount=amount,
                    bank_code=row.get("vnp_BankCode", "")[:20],
                    paid_at=paid_at,
                    transaction_type=kind[:2],
                    transaction_status=status,
                )
            )
    return lines


def import_statement(
    data: bytes, *, day: datetime.date, actor, filename: str = "", gateway: str = "vnpay"
) -> tuple[Statement | None, ImportReport]:
    """Stores the statement (the same file again returns the first import)."""
    report = ImportReport()
    lines = _parse(data, report)
    if not report.ok:
        return None, report
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        existing = Statement.objects.filter(gateway=gateway, day=day, sha256=digest).first()
        if existing:
            return existing, report
        statement = Statement.objects.create(
            gateway=gateway,
            day=day,
            filename=filename[:255],
            sha256=digest,
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for line in lines:
            line.statement = statement
        StatementLine.objects.bulk_create(lines)
        report.created = len(lines)
        audit.record(
            actor=actor,
            action="payments.statement_imported",
            obj=statement,
            after={"day": day, "gateway": gateway, "lines": len(lines), "sha256": digest},
        )
    return statement, report


@dataclass
class Totals:
    """Money in and out on the statement's day, at the gateway and here (đồng)."""

    gateway_received: int
    gateway_refunded: int
    received: int
    refunded: int

    @property
    def gateway_net(self) -> int:
        return self.gateway_received - self.gateway_refunded

    @property
    def net(self) -> int:
        return self.received - self.refunded

    @property
    def balanced(self) -> bool:
        return (self.gateway_received, self.gateway_refunded) == (self.received, self.refunded)


def _day(statement: Statement) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(statement.day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def _refunds_done(statement: Statement):
    start, end = _day(statement)
    return Refund.objects.filter(
        gateway=statement.gateway, status=Refund.Status.DONE, done_at__gte=start, done_at__lt=end
    ).select_related("payment__order__dossier")


def _paid(statement: Statement):
    start, end = _day(statement)
    return Payment.objects.filter(
        gateway=statement.gateway,
        status=Payment.Status.PAID,
        paid_at__gte=start,
        paid_at__lt=end,
    ).select_related("order__dossier")


def totals(statement: Statement) -> Totals:
    lines = [line for line in statement.lines.all() if line.succeeded]
    return Totals(
        gateway_received=sum(line.amount for line in lines if line.transaction_type == PAYMENT),
        gateway_refunded=sum(line.amount for line in lines if line.transaction_type in REFUNDS),
        received=sum(payment.amount for payment in _paid(statement)),
        refunded=sum(refund.amount for refund in _refunds_done(statement)),
    )


def _refund_mismatches(statement: Statement) -> list[Mismatch]:
    theirs: dict[str, int] = defaultdict(int)
    lines = {}
    for line in statement.lines.all():
        if line.transaction_type in REFUNDS and line.succeeded:
            theirs[line.txn_ref] += line.amount
            lines[line.txn_ref] = line
    ours: dict[str, int] = defaultdict(int)
    payments = {}
    for refund in Refund.objects.filter(
        gateway=statement.gateway, status=Refund.Status.DONE, payment__txn_ref__in=list(theirs)
    ).select_related("payment__order__dossier"):
        reference = refund.payment.txn_ref or ""
        ours[reference] += refund.amount
        payments[reference] = refund.payment
    found = []
    for reference, amount in sorted(theirs.items()):
        if reference not in ours:
            found.append(
                Mismatch("refund_missing_here", reference, None, lines[reference], vnd(amount))
            )
        elif ours[reference] != amount:
            found.append(
                Mismatch(
                    "refund_amount",
                    reference,
                    payments[reference],
                    lines[reference],
                    _("here %(ours)s, gateway %(theirs)s")
                    % {"ours": vnd(ours[reference]), "theirs": vnd(amount)},
                )
            )
    for refund in _refunds_done(statement):
        if refund.payment.txn_ref not in theirs:
            found.append(
                Mismatch(
                    "refund_missing_there",
                    refund.payment.txn_ref,
                    refund.payment,
                    None,
                    vnd(refund.amount),
                )
            )
    return found


def mismatches(statement: Statement) -> list[Mismatch]:
    theirs = {
        line.txn_ref: line
        for line in statement.lines.all()
        if line.transaction_type in ("", PAYMENT)
    }
    ours = {
        payment.txn_ref: payment
        for payment in Payment.objects.filter(
            gateway=statement.gateway, txn_ref__in=list(theirs)
        ).select_related("order__dossier")
    }
    paid_that_day = _paid(statement)
    found = []
    for reference, line in sorted(theirs.items()):
        payment = ours.get(reference)
        if payment is None:
            if line.succeeded:
                found.append(Mismatch("missing_here", reference, None, line, vnd(line.amount)))
            continue
        if payment.amount != line.amount:
            found.append(
                Mismatch(
                    "amount",
                    reference,
                    payment,
                    line,
                    _("here %(ours)s, gateway %(theirs)s")
                    % {"ours": vnd(payment.amount), "theirs": vnd(line.amount)},
                )
            )
        if line.succeeded != (payment.status == Payment.Status.PAID):
            found.append(
                Mismatch(
                    "status",
                    reference,
                    payment,
                    line,
                    _("here “%(ours)s”, gateway status %(theirs)s")
                    % {"ours": payment.get_status_display(), "theirs": line.transaction_status},
                )
            )
    for payment in paid_that_day:
        if payment.txn_ref not in theirs:
            found.append(
                Mismatch("missing_there", payment.txn_ref, payment, None, vnd(payment.amount))
            )
    return found + _refund_mismatches(statement)
