"""The digitisation indicators of the index (QĐ 766, 4.2-4.4) read from the statistics' tallies
on counts written here, on the period's organisation tree; "not measured yet" before the
citizens' document store opened (never a made-up 0), when an administrator may enter them; and
the tallies, kept by the services' events, agree with the digitisation figures counted from the
dossier rows and with a recount."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from egov.accounts.models import Role
from egov.digitization import figures as digitisation
from egov.digitization import signals
from egov.digitization.models import Paper, Reuse
from egov.dossiers import ratings
from egov.dossiers.models import Attachment, Rating
from egov.indicators import index, services
from egov.indicators.index import ENTERED, MEASURED, NOT_MEASURED
from egov.indicators.readings import Unit
from egov.reports import figures, tallies
from egov.reports.figures import Scope
from egov.reports.models import DossierFact
from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY
from tests.indicators.conftest import OCTOBER, open_store, tally
from tests.indicators.test_tree_and_excel import JULY, JUNE, merged  # noqa: F401

pytestmark = pytest.mark.django_db
OCTOBER_END = datetime.date(2026, 10, 31)
CODES = ("DIGITISED_DOSSIERS", "ELECTRONIC_CERTIFIED_COPY", "REUSED_DIGITISED_DATA")


def _found(start, end, scope):
    return {result.indicator.code: result for result in index.compute(start, end, scope).results}


def test_digitised_and_reusing_dossiers_of_an_agency(today, agencies, citizen):
    open_store(citizen, datetime.date(2026, 9, 1))
    justice, legal_aid, health = agencies["justice"], agencies["legal_aid"], agencies["health"]
    # Justice: 10 received, 7 with papers in the store, 3 reusing a paper from it.
    tally(justice, received_online=6, received_desk=4, stored=7, reusing=3)
    # Its legal aid centre (counted with Justice): 5 received, 2 digitised, 1 reusing.
    tally(legal_aid, mode="partial", received_desk=5, stored=2, reusing=1)
    # Health is another unit.
    tally(health, received_online=20, stored=20, reusing=20)

    found = _found(OCTOBER, OCTOBER_END, Scope(agency=justice))

    # 4.2: 9 of 15 = 60% of 4 points.
    assert found["DIGITISED_DOSSIERS"].status == MEASURED
    assert found["DIGITISED_DOSSIERS"].rate == 60
    assert found["DIGITISED_DOSSIERS"].points == Decimal("2.4")
    inputs = {str(label): value for label, value in found["DIGITISED_DOSSIERS"].inputs}
    assert list(inputs.values()) == [15, 9]
    # 4.4: 4 of 15 = 26.67%, all points from 80%: 2 × (400/15) / 80.
    assert found["REUSED_DIGITISED_DATA"].rate == Decimal(400) / 15
    assert found["REUSED_DIGITISED_DATA"].points == 2 * (Decimal(400) / 15) / 80
    # 4.3: Justice is placed in no commune: nothing to count, no points (not a 0).
    certified = found["ELECTRONIC_CERTIFIED_COPY"]
    assert certified.status == MEASURED and certified.rate is None and certified.points is None
    # The city: 4.2 = (9 + 20) / 35, 4.4 = (4 + 20) / 35 (75%: 2 × 75/80).
    city = _found(OCTOBER, OCTOBER_END, Scope())
    assert city["DIGITISED_DOSSIERS"].rate == Decimal(2900) / 35
    assert city["REUSED_DIGITISED_DATA"].rate == Decimal(2400) / 35
    assert city["REUSED_DIGITISED_DATA"].points == 2 * (Decimal(2400) / 35) / 80


def test_communes_certifying_copies_on_the_tree_of_the_period(today, merged, citizen):  # noqa: F811
    open_store(citizen, datetime.date(2025, 5, 1))
    # June 2025: Xã An Bình's committee certified 2 copies; Xã Mỹ Khánh did not.
    tally(merged["old_committee"], month=JUNE[0], received_desk=4, stored=4, certified_copies=2)
    # July: the new ward received 3 dossiers and certified none.
    tally(merged["new_committee"], month=JULY[0], received_desk=3, stored=1)

    june = _found(*JUNE, Scope())["ELECTRONIC_CERTIFIED_COPY"]
    # The two communes of June's tree, one certifying: 50% of 2 points.
    assert june.rate == 50 and june.points == 1
    assert [value for _label, value in june.inputs] == [2, 1]
    old = _found(*JUNE, Scope(commune=merged["old"]))["ELECTRONIC_CERTIFIED_COPY"]
    assert old.rate == 100 and old.points == 2
    other = _found(*JUNE, Scope(commune=merged["other"]))["ELECTRONIC_CERTIFIED_COPY"]
    assert other.rate == 0 and other.points == 0
    # July's tree has the new ward alone, which certified none: a measured 0.
    july = _found(*JULY, Scope())["ELECTRONIC_CERTIFIED_COPY"]
    assert july.status == MEASURED and july.rate == 0
    # The year: three communes, one certifying.
    year = _found(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), Scope())
    assert year["ELECTRONIC_CERTIFIED_COPY"].rate == Decimal(100) / 3
    # The ward's 4.2 in July: 1 of 3.
    ward = _found(*JULY, Scope(commune=merged["new"]))
    assert ward["DIGITISED_DOSSIERS"].rate == Decimal(100) / 3


def test_before_the_store_opened_not_measured(today, merged, citizen):  # noqa: F811
    tally(merged["old_committee"], month=JUNE[0], received_desk=4, stored=0)
    # No paper in the store at all: not measured, whatever the tallies say.
    found = _found(*JUNE, Scope())
    for code in CODES:
        assert found[code].status == NOT_MEASURED and found[code].points is None, code
    # The store opened on 1 July 2025: June stays not measured, July is measured.
    open_store(citizen, datetime.date(2025, 7, 1))
    assert all(_found(*JUNE, Scope())[code].status == NOT_MEASURED for code in CODES)
    assert all(_found(*JULY, Scope())[code].status == MEASURED for code in CODES)
    assert Unit(*JUNE, Scope()).has_store is False


def test_a_figure_is_entered_only_for_a_period_without_data(today, merged, citizen, make_staff):  # noqa: F811
    admin = make_staff("quantri", merged["old_committee"].parent, Role.SYSTEM_ADMIN)
    open_store(citizen, datetime.date(2025, 7, 1))
    entry = services.enter_figure(
        actor=admin, indicator="REUSED_DIGITISED_DATA", start=JUNE[0], end=JUNE[1],
        scope=Scope(), rate=Decimal(40), source="Cổng DVCQG, 5/7/2025",
    )  # fmt: skip
    found = _found(*JUNE, Scope())["REUSED_DIGITISED_DATA"]
    assert found.status == ENTERED and found.entry == entry
    assert found.points == 1  # 40% of 2 points, all from 80%
    # July is measured by the platform: no figure may be entered for it.
    with pytest.raises(ValidationError):
        services.enter_figure(
            actor=admin, indicator="REUSED_DIGITISED_DATA", start=JULY[0], end=JULY[1],
            scope=Scope(), rate=Decimal(40), source="Cổng DVCQG",
        )  # fmt: skip
    # An indicator measured whatever the period never is.
    with pytest.raises(ValidationError):
        services.enter_figure(
            actor=admin, indicator="ON_TIME", start=JUNE[0], end=JUNE[1],
            scope=Scope(), rate=Decimal(40), source="Cổng DVCQG",
        )  # fmt: skip


def _paper(dossier, source, **fields):
    return Paper.objects.create(
        owner=dossier.applicant, kind="giay-to", kind_name="Giấy tờ", file="papers/y.pdf",
        size=1, sha256="1" * 64, source=source, dossier=dossier,
        agency=dossier.receiving_agency, **fields,
    )  # fmt: skip


def test_the_tallies_agree_with_the_rows(record_version, citizen, people, time_machine, agencies):
    time_machine.move_to(MONDAY, tick=False)
    # Three received and one returned (its result a file), all of Justice.
    first = closing.received(record_version, citizen, people)
    second = closing.received(record_version, citizen, people)
    third = closing.received(record_version, citizen, people)
    fourth = closing.returned(record_version, citizen, people)
    Paper.objects.filter(dossier__in=[first, second, third, fourth]).delete()
    for dossier in (first, second, third, fourth):
        tallies.refresh(dossier.pk)
    # The desk digitises and certifies a paper of the first (announced as the service does).
    with transaction.atomic():
        _paper(first, Paper.Source.DESK, signed=True)
        signals.papers_changed.send(Paper, dossier=first)
    # The second's paper was submitted online into the store.
    with transaction.atomic():
        _paper(second, Paper.Source.ONLINE)
        signals.papers_changed.send(Paper, dossier=second)
    # The third reused a paper from the citizen's store.
    with transaction.atomic():
        paper = _paper(fourth, Paper.Source.CITIZEN)
        attachment = Attachment.objects.filter(dossier=third).first()
        Reuse.objects.create(paper=paper, dossier=third, attachment=attachment,
                             agency=third.receiving_agency)  # fmt: skip
        signals.papers_changed.send(Paper, dossier=third)
    # The returned one rated 0 of 18: not satisfied.
    ratings.rate(fourth, citizen, dict.fromkeys(Rating.SCORES, 0))

    facts = DossierFact.objects.in_bulk([first.pk, second.pk, third.pk, fourth.pk])
    assert facts[first.pk].stored and facts[first.pk].certified_copy
    assert facts[second.pk].stored and not facts[second.pk].certified_copy
    assert facts[third.pk].reusing and not facts[third.pk].stored
    assert facts[fourth.pk].electronic_result and facts[fourth.pk].rated_unsatisfied

    day = MONDAY.date()
    rows = digitisation.totals(day, day)  # counted from the dossier rows
    unit = Unit(day, day, Scope())
    received = sum(unit.totals[name] for name in ("received_online", "received_desk",
                                                  "received_post"))  # fmt: skip
    assert (received, unit.totals["stored"], unit.totals["reusing"]) == (4, 2, 1)
    assert (rows.dossiers, rows.dossiers_digitised, rows.dossiers_reusing) == (4, 2, 1)
    assert unit.totals["certified_copies"] == 1
    assert unit.resolved == {"total": 1, "electronic": 1, "unhappy": 1}
    # The tallies by agency the index reads hold the sums of the full tallies.
    every_key = figures.sums(Q(), day, day, ("agency_id", "online_mode"))
    assert figures.sums(Q(), day, day, ("agency_id", "online_mode"), by_agency=True) == every_key
    # What the events kept is what a recount from the dossiers finds.
    assert tallies.differences() == []
