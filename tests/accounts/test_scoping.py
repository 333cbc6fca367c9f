"""The agencies a person may act in, by role, read once for a staff page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.accounts import scoping
from egov.accounts import services as accounts
from egov.accounts.models import Role
from egov.dossiers.processing import STAFF_ROLES

pytestmark = pytest.mark.django_db


def test_one_read_gives_the_roles_or_everywhere(make_staff, agencies):
    desk = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    accounts.grant_role(actor=None, user=desk, role=Role.SPECIALIST, agency=agencies["health"])
    accounts.grant_role(actor=None, user=desk, role=Role.AUDITOR, agency=agencies["justice"])
    head = make_staff("truongphong", agencies["justice"], Role.APPROVER, include_subtree=True)
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    root = make_staff("goc", agencies["city"], is_superuser=True)
    gone = make_staff("nghiviec", agencies["city"], Role.DESK_OFFICER)
    gone.is_active = False
    gone.save()

    for user in (desk, head, admin, root, gone):
        expected = (
            None
            if scoping.is_system_wide(user)
            else scoping.agency_ids_by_role(user, STAFF_ROLES)
            if user.is_active
            else {}
        )
        assert scoping.agency_ids_by_role_or_all(user, STAFF_ROLES) == expected, user
    justice, legal_aid = agencies["justice"].pk, agencies["legal_aid"].pk
    assert scoping.agency_ids_by_role_or_all(head, STAFF_ROLES) == {
        Role.APPROVER: sorted([justice, legal_aid])
    }
    # Roles outside those asked (the auditor's) are left out; one query answers both questions.
    with CaptureQueriesContext(connection) as queries:
        found = scoping.agency_ids_by_role_or_all(desk, STAFF_ROLES)
    assert found == {
        Role.DESK_OFFICER: [agencies["city"].pk],
        Role.SPECIALIST: [agencies["health"].pk],
    }
    assert len(queries) == 1
