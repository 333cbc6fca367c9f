import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from egov.catalog import services
from egov.catalog.models import ProcedureVersion
from egov.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_editing_a_published_procedure_makes_a_new_version(catalogue):
    published = catalogue["copy"]
    draft = services.start_draft(published.procedure, actor=None)
    assert (draft.number, draft.status) == (2, "draft")
    # Everything hangs from the new version; the published one is untouched.
    assert draft.requirements.count() == published.requirements.count()
    assert draft.fees.get().rule == published.fees.get().rule
    assert [s.code for s in draft.workflow_steps.all()] == [
        s.code for s in published.workflow_steps.all()
    ]
    assert draft.workflow_transitions.count() == published.workflow_transitions.count()
    assert not draft.workflow_transitions.exclude(source__version=draft).exists()
    services.update_draft(draft, actor=None, time_limit=2)
    draft.workflow_steps.filter(code="xu-ly").update(duration=1)
    services.publish(
        draft, actor=None, effective_from=datetime.date(2026, 3, 1), change_note="Rút ngắn thời hạn"
    )
    published.refresh_from_db()
    assert published.time_limit == 1 and published.status == "published"
    # A dossier keeps the version of its filing day.
    before = services.version_for(published.procedure, datetime.date(2026, 2, 28))
    after = services.version_for(published.procedure, datetime.date(2026, 3, 1))
    assert (before.number, after.number) == (1, 2)


def test_a_published_version_cannot_be_edited(catalogue):
    with pytest.raises(ValidationError):
        services.update_draft(catalogue["birth"], actor=None, name="Sửa trộm")


def test_one_draft_at_a_time(catalogue):
    procedure = catalogue["birth"].procedure
    first = services.start_draft(procedure, actor=None)
    assert services.start_draft(procedure, actor=None) == first
    with pytest.raises(IntegrityError):
        ProcedureVersion.objects.create(
            procedure=procedure,
            number=9,
            status="draft",
            name="x",
            field=first.field,
            level="commune",
            online_mode="full",
            legacy_service_level=4,
            time_limit=1,
            time_unit="working_days",
        )


def test_effective_date_cannot_go_back_in_time(catalogue):
    draft = services.start_draft(catalogue["birth"].procedure, actor=None)
    with pytest.raises(ValidationError):
        services.publish(draft, actor=None, effective_from=datetime.date(2025, 1, 1))


def test_changes_are_in_the_audit_trail(catalogue):
    procedure = catalogue["birth"].procedure
    draft = services.start_draft(procedure, actor=None)
    services.update_draft(draft, actor=None, name="Đăng ký khai sinh")
    actions = list(
        AuditEvent.objects.filter(object_type="catalog.procedure", object_id=str(procedure.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "catalog.procedure_created",
        "catalog.version_published",
        "catalog.draft_started",
        "catalog.draft_changed",
    ]
    changed = AuditEvent.objects.get(action="catalog.draft_changed")
    assert changed.before["number"] == 2 and changed.agency_id == procedure.owner_agency_id
