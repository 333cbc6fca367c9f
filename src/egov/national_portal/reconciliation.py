"""A period's dossiers compared with what the national portal holds (TraCuuHoSo): those it does
not know, and those it holds at another status than the one we last sent."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from egov.dossiers.models import Dossier
from egov.national_portal.client import PortalClient
from egov.national_portal.models import OutboxMessage

BATCH = 500


@dataclass
class Difference:
    code: str
    ours: int | None  # the code of the last call acknowledged, None when none was
    portal: int | None  # what the portal holds, None when it does not know the dossier
    pending: bool  # calls of this dossier are still waiting or refused


@dataclass
class Report:
    start: datetime.date
    end: datetime.date
    compared: int = 0
    differences: list[Difference] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = f"{self.start}..{self.end}: {self.compared} dossiers, "
        lines = [head + f"{len(self.differences)} differ"]
        for d in self.differences:
            note = " (calls still waiting or refused)" if d.pending else ""
            lines.append(f"{d.code}: ours {d.ours or '-'}, portal {d.portal or '-'}{note}")
        return lines


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, zone)
    return first, datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, zone
    )


def compare(
    start: datetime.date, end: datetime.date, *, client: PortalClient | None = None
) -> Report:
    client = client or PortalClient()
    first, after = _bounds(start, end)
    codes = [
        code
        for code in Dossier.objects.filter(
            submitted_at__gte=first, submitted_at__lt=after, code__isnull=False
        )
        .order_by("code")
        .values_list("code", flat=True)
        if code
    ]
    report = Report(start, end, compared=len(codes))
    for offset in range(0, len(codes), BATCH):
        batch = codes[offset : offset + BATCH]
        held = client.statuses(batch)
        last_sent = dict(
            OutboxMessage.objects.filter(dossier_code__in=batch, state=OutboxMessage.State.SENT)
            .values("dossier_code")
            .annotate(last=Max("sequence"))
            .values_list("dossier_code", "last")
        )
        sent_codes = {
            m.dossier_code: m.portal_code
            for m in OutboxMessage.objects.filter(
                dossier_code__in=list(last_sent),
                sequence__in=set(last_sent.values()),
            )
            if last_sent.get(m.dossier_code) == m.sequence
        }
        waiting = set(
            OutboxMessage.objects.filter(dossier_code__in=batch)
            .exclude(state=OutboxMessage.State.SENT)
            .values_list("dossier_code", flat=True)
        )
        for code in batch:
            ours, portal = sent_codes.get(code), held.get(code)
            if ours != portal or code in waiting:
                report.differences.append(Difference(code, ours, portal, code in waiting))
    return report
