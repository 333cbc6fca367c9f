"""Operations on queue tickets: the only code that changes them. Each runs in one transaction;
officers' actions (counter, call, recall, close, no-show) write the audit trail. Issuing a ticket
is anonymous and the ticket row is its own record, so it adds nothing to the audit chain."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import Role
from egov.accounts.scoping import has_role
from egov.catalog.models import Field
from egov.core import audit
from egov.organizations.models import OneStopDesk
from egov.queueing.models import DeskField, OfficerCounter, Ticket, TicketSequence

TICKET_AUDIT_FIELDS = ["label", "status", "counter", "called_by_id", "call_count"]
TICKET_CALL_FIELDS = ["status", "called_at", "last_called_at", "call_count", "called_by", "counter"]
COUNTER_MAX_LENGTH = 20


def label_for(letter: str, number: int) -> str:
    """The letter of the field, then at least three digits: A007, B012, 1000 past 999."""
    return f"{letter}{number:03d}"


def next_number(desk: OneStopDesk, day: datetime.date) -> int:
    """Numbered per desk and day without gaps.

    Runs inside the issuing transaction: the row lock serialises concurrent kiosks of one desk,
    and a rolled-back ticket rolls its number back too.
    """
    sequence, _created = TicketSequence.objects.select_for_update().get_or_create(
        desk=desk, day=day
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def offer_fields(desk: OneStopDesk, offers, *, actor) -> list[DeskField]:
    """Sets the fields the desk's kiosk offers, in the given order, each with its letter
    (``offers``: pairs of field and letter). Tickets already given keep their labels."""
    before = list(DeskField.objects.filter(desk=desk).values_list("field_id", "letter"))
    DeskField.objects.filter(desk=desk).delete()
    created = []
    for position, (field, letter) in enumerate(offers):
        item = DeskField(desk=desk, field=field, letter=letter, position=position)
        item.full_clean()
        item.save()
        created.append(item)
    audit.record(
        actor=actor,
        action="queueing.kiosk_fields_set",
        obj=desk,
        agency_id=desk.agency_id,
        before={"fields": before},
        after={"fields": [(item.field_id, item.letter) for item in created]},
    )
    return created


@transaction.atomic
def issue(desk: OneStopDesk, *, field: Field | None = None) -> Ticket:
    if not desk.is_active:
        raise ValidationError(_("This desk does not give queue numbers now."))
    offered = DeskField.objects.filter(desk=desk)
    if offered.exists():
        choice = offered.filter(field=field).first() if field is not None else None
        if choice is None:
            raise ValidationError(_("Choose one of the fields offered at this desk."))
        letter = choice.letter
    elif field is not None:
        raise ValidationError(_("Choose one of the fields offered at this desk."))
    else:
        letter = ""
    now = timezone.now()
    day = timezone.localdate(now)
    number = next_number(desk, day)
    return Ticket.objects.create(
        desk=desk,
        field=field,
        day=day,
        number=number,
        label=label_for(letter, number),
        issued_at=now,
    )


def _require_officer(officer, desk: OneStopDesk) -> None:
    if not (
        officer is not None
        and officer.is_authenticated
        and officer.kind == "staff"
        and has_role(officer, Role.DESK_OFFICER, desk.agency)
    ):
        raise PermissionDenied(_("Only the desk's officers call and close queue numbers."))


def _record(officer, action: str, ticket: Ticket, before: dict | None) -> None:
    audit.record(
        actor=officer,
        action=action,
        obj=ticket,
        object_repr=f"{ticket.label} ({ticket.day:%d/%m/%Y})",
        agency_id=ticket.desk.agency_id,
        before=before,
        after=audit.snapshot(ticket, TICKET_AUDIT_FIELDS),
    )


def clean_counter(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise ValidationError(_("Give the counter you call from, e.g. 3."))
    if len(label) > COUNTER_MAX_LENGTH:
        raise ValidationError(
            _("The counter name is at most %(n)d characters.") % {"n": COUNTER_MAX_LENGTH}
        )
    if any(ord(ch) < 32 for ch in label):
        raise ValidationError(_("The counter name contains invisible characters; type it again."))
    return label


def _offered_fields(desk: OneStopDesk, fields) -> list[Field]:
    fields = list(fields or [])
    offered = set(DeskField.objects.filter(desk=desk).values_list("field_id", flat=True))
    if any(field.pk not in offered for field in fields):
        raise ValidationError(_("Choose only fields offered at this desk."))
    return fields


@transaction.atomic
def set_counter(desk: OneStopDesk, *, officer, label: str, fields=()) -> OfficerCounter:
    """Where the officer calls from and which fields they serve (none: every field)."""
    _require_officer(officer, desk)
    label = clean_counter(label)
    fields = _offered_fields(desk, fields)
    counter, created = OfficerCounter.objects.select_for_update().get_or_create(
        desk=desk, officer=officer, defaults={"label": label}
    )
    before = {"label": counter.label, "fields": sorted(counter.fields.values_list("pk", flat=True))}
    counter.label = label
    counter.save()
    counter.fields.set(fields)
    audit.record(
        actor=officer,
        action="queueing.counter_set",
        obj=counter,
        object_repr=f"{desk} · {label}",
        agency_id=desk.agency_id,
        before=None if created else before,
        after={"label": label, "fields": sorted(field.pk for field in fields)},
    )
    return counter


def counter_of(desk: OneStopDesk, officer) -> OfficerCounter | None:
    return OfficerCounter.objects.filter(desk=desk, officer=officer).first()


@transaction.atomic
def call_next(
    desk: OneStopDesk, *, officer, counter: str | None = None, fields=None
) -> Ticket | None:
    """Calls the oldest waiting ticket of today (of the officer's fields when they serve only
    some) to the officer's counter; None when nobody waits.

    The officer closes their called ticket first. Two officers calling at the same moment get
    different tickets: on PostgreSQL the candidate row is locked and others skip it; SQLite
    runs one writer at a time.
    """
    _require_officer(officer, desk)
    saved = counter_of(desk, officer)
    counter = clean_counter(counter if counter is not None else (saved.label if saved else ""))
    if fields is None:
        fields = list(saved.fields.all()) if saved else []
    fields = _offered_fields(desk, fields)
    today = timezone.localdate()
    current = Ticket.objects.filter(
        desk=desk, day=today, status=Ticket.Status.CALLED, called_by=officer
    ).first()
    if current is not None:
        raise ValidationError(
            _("Close number %(label)s (served or did not come) before calling the next one.")
            % {"label": current.label}
        )
    candidates = Ticket.objects.filter(desk=desk, day=today, status=Ticket.Status.WAITING)
    if fields:
        candidates = candidates.filter(field__in=fields)
    ticket = candidates.order_by("number").select_for_update(skip_locked=True).first()
    if ticket is None:
        return None
    now = timezone.now()
    ticket.status = Ticket.Status.CALLED
    ticket.called_at = now
    ticket.last_called_at = now
    ticket.call_count = 1
    ticket.called_by = officer
    ticket.counter = counter
    ticket.save(
        update_fields=[
            "status",
            "called_at",
            "last_called_at",
            "call_count",
            "called_by",
            "counter",
        ]
    )
    # The locking query joined nothing, so that only the ticket row is locked; the desk is
    # already at hand.
    ticket.desk = desk
    _record(officer, "queueing.called", ticket, {"status": Ticket.Status.WAITING})
    return ticket


def _locked_called(ticket: Ticket, officer) -> tuple[Ticket, dict]:
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("desk").get(pk=ticket.pk)
    _require_officer(officer, ticket.desk)
    if ticket.status != Ticket.Status.CALLED:
        raise ValidationError(
            _("Number %(label)s is not being called: it is “%(status)s”.")
            % {"label": ticket.label, "status": ticket.get_status_display()}
        )
    return ticket, audit.snapshot(ticket, TICKET_AUDIT_FIELDS)


@transaction.atomic
def recall(ticket: Ticket, *, officer) -> Ticket:
    """Calls the same number again, to the same counter (the display shows it on top)."""
    ticket, before = _locked_called(ticket, officer)
    ticket.last_called_at = timezone.now()
    ticket.call_count += 1
    ticket.save(update_fields=["last_called_at", "call_count"])
    _record(officer, "queueing.recalled", ticket, before)
    return ticket


def _close(ticket: Ticket, officer, status: str, action: str) -> Ticket:
    ticket, before = _locked_called(ticket, officer)
    ticket.status = status
    ticket.closed_at = timezone.now()
    ticket.save(update_fields=["status", "closed_at"])
    _record(officer, action, ticket, before)
    return ticket


@transaction.atomic
def serve(ticket: Ticket, *, officer) -> Ticket:
    return _close(ticket, officer, Ticket.Status.SERVED, "queueing.served")


@transaction.atomic
def mark_no_show(ticket: Ticket, *, officer) -> Ticket:
    return _close(ticket, officer, Ticket.Status.NO_SHOW, "queueing.no_show")


@transaction.atomic
def purge(*, older_than_days: int, actor=None) -> int:
    """Deletes tickets (and day counters) of days more than ``older_than_days`` ago."""
    if older_than_days < 1:
        raise ValidationError(_("Keep tickets at least one day."))
    before = timezone.localdate() - datetime.timedelta(days=older_than_days)
    deleted, _per_model = Ticket.objects.filter(day__lt=before).delete()
    TicketSequence.objects.filter(day__lt=before).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="queueing.purged",
            object_type="queueing.ticket",
            object_repr=f"< {before:%d/%m/%Y}",
            after={"before": before, "tickets": deleted},
        )
    return deleted
