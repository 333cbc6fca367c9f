"""The citizen's store: what is offered at submission, reuse, results, figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from egov.accounts import services as accounts
from egov.accounts.models import User
from egov.digitization import figures, kinds, services
from egov.digitization.models import Paper, Reuse
from egov.digitization.services import PaperFacts
from egov.dossiers import services as dossiers
from tests.digitization.conftest import submit
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db


def land(version):
    return version.requirements.get(name__startswith="Giấy chứng nhận")


def identity(version):
    return version.requirements.get(name__startswith="Căn cước")


@pytest.fixture
def earlier(versions, citizen, no_scanner):
    """A dossier the citizen submitted online: its papers are in their store."""
    return submit(versions["land"], citizen)


@pytest.fixture
def draft(versions, citizen, no_scanner):
    version = versions["other"]
    return dossiers.start(
        applicant=citizen, version=version, agency=dossiers.receiving_agency_for(version)
    )


def test_submitted_papers_join_the_store_and_are_offered_by_type(earlier, draft, citizen):
    assert services.store(citizen).count() == 3
    offered = services.offers(citizen, draft.procedure_version.requirements.all())
    assert [p.dossier for p in offered[land(draft.procedure_version).pk]] == [earlier]
    assert len(offered[identity(draft.procedure_version).pk]) == 1


def test_expired_papers_are_not_offered(earlier, draft, citizen):
    Paper.objects.filter(kind=kinds.of_requirement(land(draft.procedure_version))).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    offered = services.offers(citizen, draft.procedure_version.requirements.all())
    assert offered[land(draft.procedure_version).pk] == []
    paper = Paper.objects.get(kind=kinds.of_requirement(land(draft.procedure_version)))
    with pytest.raises(ValidationError):
        services.reuse(
            draft,
            applicant=citizen,
            paper_id=paper.public_id,
            requirement_id=land(draft.procedure_version).pk,
        )


def test_another_citizens_paper_is_never_offered_nor_attached(earlier, versions, no_scanner):
    other = accounts.create_user(
        actor=None,
        username="hangxom",
        password="x-Mat-khau-9",
        kind=User.Kind.CITIZEN,
        email="hangxom@example.vn",
    )
    version = versions["other"]
    draft = dossiers.start(
        applicant=other, version=version, agency=dossiers.receiving_agency_for(version)
    )
    offered = services.offers(other, version.requirements.all())
    assert all(papers == [] for papers in offered.values())
    theirs = Paper.objects.filter(owner=earlier.applicant).first()
    with pytest.raises(ValidationError):
        services.reuse(
            draft, applicant=other, paper_id=theirs.public_id, requirement_id=land(version).pk
        )
    assert not Reuse.objects.exists()


def test_reuse_attaches_without_upload_and_is_counted(earlier, draft, citizen):
    version = draft.procedure_version
    for requirement in (land(version), identity(version)):
        paper = services.offers(citizen, [requirement])[requirement.pk][0]
        services.reuse(
            draft, applicant=citizen, paper_id=paper.public_id, requirement_id=requirement.pk
        )
    dossiers.save_answers(
        draft,
        applicant=citizen,
        answers={"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
    )
    declaration = version.requirements.get(name="Tờ khai")
    dossiers.attach(draft, applicant=citizen, requirement_id=declaration.pk, name="t.pdf", data=PDF)
    draft = dossiers.submit(draft, applicant=citizen)
    assert Reuse.objects.filter(dossier=draft).count() == 2
    origins = services.origins(draft)
    assert {a.requirement_id for a in draft.attachments.filter(pk__in=origins)} == {
        land(version).pk,
        identity(version).pk,
    }
    # Reused papers are not stored twice; the new upload is.
    assert Paper.objects.filter(dossier=draft).count() == 1
    today = timezone.localdate()
    total = figures.totals(today, today)
    assert (total.papers, total.papers_reused) == (6, 2)
    from egov.dossiers.models import Dossier

    Dossier.objects.update(received_at=timezone.now())
    total = figures.totals(today, today)
    assert (total.dossiers, total.dossiers_reusing) == (2, 1)
    assert total.shares["dossiers_reusing"] == Decimal("0.5")
    assert total.shares["papers_reused"] == Decimal("0.3333")
    used = services.where_used(Paper.objects.filter(reuses__isnull=False))
    assert list(used.values()) == [[draft.code], [draft.code]], used


def test_a_result_issued_joins_the_store_with_its_validity():
    issued = datetime.date(2026, 1, 31)
    assert services.validity_end("Giấy xác nhận (có giá trị 06 tháng)", issued) == datetime.date(
        2026, 7, 31
    )
    assert services.validity_end("Giấy phép (thời hạn 05 năm)", issued) == datetime.date(
        2031, 1, 31
    )
    assert services.validity_end("Giấy chứng nhận (hiệu lực 1 tháng)", issued) == datetime.date(
        2026, 2, 28
    )
    assert services.validity_end("Giấy khai sinh (bản chính)", issued) is None


def test_the_citizen_adds_a_paper_checked_like_any_upload(versions, citizen, no_scanner):
    kind = kinds.of_requirement(land(versions["land"]))
    paper = services.add_paper(
        citizen,
        kind=kind,
        name="so-do.pdf",
        data=PDF,
        facts=PaperFacts(number="AB 1", expires_on=datetime.date(2099, 1, 1)),
    )
    assert paper.source == Paper.Source.CITIZEN and paper.kind_name.startswith("Giấy chứng")
    with pytest.raises(ValidationError) as refused:
        services.add_paper(
            citizen, kind=kind, name="x.pdf", data=b"MZ not a pdf", facts=PaperFacts()
        )
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.add_paper(citizen, kind="bia", name="x.pdf", data=PDF, facts=PaperFacts())


def test_figures_count_digitised_dossiers_and_results(earlier, settings):
    from egov.dossiers.models import Attachment, Dossier

    Dossier.objects.filter(pk=earlier.pk).update(
        received_at=timezone.now(), decided_at=timezone.now()
    )
    result = Attachment.objects.filter(dossier=earlier).first()
    services.record_result(Dossier.objects.get(pk=earlier.pk), result)
    today = timezone.localdate()
    rows = figures.by_agency(today, today)
    assert len(rows) == 1
    row = rows[0]
    assert (row.dossiers, row.dossiers_digitised, row.results, row.results_digitised) == (
        1,
        1,
        1,
        1,
    )
    stored = Paper.objects.get(source=Paper.Source.RESULT)
    assert stored.kind == "kq-9-000001" and stored.expires_on is not None
    assert figures.by_agency(today, today, agency_ids=[0]) == []
    assert figures.workbook(rows, figures.totals(today, today), "Số hoá")[:2] == b"PK"


def test_a_result_issued_reaches_the_store_through_the_dossiers_event(earlier):
    from egov.dossiers import signals
    from egov.dossiers.models import Attachment, Dossier

    result = Attachment.objects.filter(dossier=earlier).first()
    signals.result_issued.send(Dossier, dossier=earlier, result=result)
    signals.result_issued.send(Dossier, dossier=earlier, result=result)  # issued again
    stored = Paper.objects.get(source=Paper.Source.RESULT)
    assert stored.owner == earlier.applicant and stored.file.name == result.file.name
    assert not stored.signed  # the stored file is not one the agency signed


def test_removing_a_reused_paper_from_the_draft_removes_the_reuse(earlier, draft, citizen):
    requirement = land(draft.procedure_version)
    paper = services.offers(citizen, [requirement])[requirement.pk][0]
    made = services.reuse(
        draft, applicant=citizen, paper_id=paper.public_id, requirement_id=requirement.pk
    )
    dossiers.remove_attachment(made.attachment, applicant=citizen)
    assert not Reuse.objects.exists()
    assert Paper.objects.filter(pk=paper.pk).exists()  # the store keeps its paper


def test_papers_of_a_desk_dossier_are_not_stored_as_online_uploads(versions, citizen, no_scanner):
    from egov.dossiers.models import Channel, Dossier

    dossier = submit(versions["land"], citizen)
    Paper.objects.all().delete()
    Dossier.objects.filter(pk=dossier.pk).update(channel=Channel.DESK)
    dossier.refresh_from_db()
    assert services.record_submission(dossier) == []
