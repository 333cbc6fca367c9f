"""The staff site's menu: the entries a person's roles give them work on.

Each page still checks access itself (a hidden entry is not a refusal, nor a shown one a
permission); the menu only spares people links to pages that are empty or refused for them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import Role, RoleAssignment

EVERYONE = None  # every staff member: their dashboard, their own personnel record
DOSSIER_ROLES = {Role.DESK_OFFICER, Role.SPECIALIST, Role.APPROVER, Role.LEADER}
WHOLE_CITY = "whole_city"  # held over the whole tree from a top agency (payments' reconciliation)


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    roles: frozenset | None  # None: everyone; empty: system administrators only
    city_wide: frozenset = frozenset()  # roles that count only when held over the whole city


ENTRIES = [
    Entry("backoffice:dashboard", _("Dashboard"), EVERYONE),
    Entry("backoffice:dossiers", _("Dossiers"), frozenset(DOSSIER_ROLES)),
    Entry(
        "documents:home",
        _("Official documents"),
        frozenset(
            {
                Role.CLERK,
                Role.SPECIALIST,
                Role.APPROVER,
                Role.LEADER,
                Role.AGENCY_ADMIN,
                Role.AUDITOR,
            }
        ),
    ),
    Entry("queueing_staff:desks", _("Queue numbers"), frozenset({Role.DESK_OFFICER})),
    Entry(
        "feedback_staff:queue",
        _("Citizen reports"),
        frozenset({*DOSSIER_ROLES, Role.AGENCY_ADMIN, Role.AUDITOR}),
    ),
    Entry("backoffice:agencies", _("Agencies"), frozenset(Role.values)),
    Entry("backoffice:people", _("People"), frozenset({Role.AGENCY_ADMIN})),
    Entry("backoffice:catalog", _("Procedures"), frozenset({Role.CATALOGUE_EDITOR})),
    Entry("backoffice:audit", _("Audit trail"), frozenset({Role.AUDITOR})),
    Entry(
        "notifications_staff:log",
        _("Notifications"),
        frozenset({Role.DESK_OFFICER, Role.AGENCY_ADMIN, Role.AUDITOR}),
    ),
    Entry(
        "signatures_staff:certificates",
        _("Digital signatures"),
        frozenset({Role.DESK_OFFICER, Role.CLERK, Role.APPROVER, Role.LEADER, Role.AGENCY_ADMIN}),
    ),
    Entry(
        "payments_staff:statements",
        _("Payment reconciliation"),
        frozenset(),
        city_wide=frozenset({Role.AGENCY_ADMIN}),
    ),
    Entry(
        "national_portal:sync",
        _("National portal sync"),
        frozenset(),
        city_wide=frozenset({Role.AGENCY_ADMIN}),
    ),
    Entry("exchange_staff:overview", _("Data sharing platform (LGSP)"), frozenset()),
    Entry(
        "reports_staff:dashboard",
        _("Statistics"),
        frozenset({Role.LEADER, Role.AGENCY_ADMIN, Role.AUDITOR}),
    ),
    Entry(
        "digitization_staff:report",
        _("Digitisation"),
        frozenset({Role.DESK_OFFICER, Role.LEADER, Role.AGENCY_ADMIN, Role.AUDITOR}),
    ),
    Entry(
        "indicators:index",
        _("Service index (QĐ 766)"),
        frozenset({Role.LEADER, Role.AGENCY_ADMIN, Role.AUDITOR}),
    ),
    Entry("indicators:dashboard", _("Operations dashboard"), frozenset({Role.LEADER})),
    Entry("personnel:index", _("Personnel"), EVERYONE),
    Entry("backoffice:calendar", _("Working calendar"), frozenset()),
    Entry("backoffice:organizations_import", _("Import"), frozenset()),
]


def held_roles(user, assignments=None) -> tuple[bool, set[str], set[str]]:
    """Whether the user acts everywhere, the roles they hold, and those held over the whole
    city (a whole tree from a top agency): one read of their assignments, or none when the
    page has read them already (``scoping.all_assignments``)."""
    if not (user and user.is_authenticated and user.is_active):
        return False, set(), set()
    if assignments is None:
        rows = list(
            RoleAssignment.objects.filter(user=user).values_list(
                "role", "include_subtree", "agency__parent_id"
            )
        )
    else:
        rows = [(a.role, a.include_subtree, a.agency.parent_id) for a in assignments]
    roles = {role for role, _subtree, _parent in rows}
    whole_city = {role for role, subtree, parent in rows if subtree and parent is None}
    everywhere = user.is_superuser or Role.SYSTEM_ADMIN in roles
    return everywhere, roles, whole_city


def allowed(entry: Entry, everywhere: bool, roles: set[str], whole_city: set[str]) -> bool:
    if everywhere or entry.roles is EVERYONE:
        return True
    return bool(entry.roles & roles) or bool(entry.city_wide & whole_city)


def entries_for(user, assignments=None) -> list[tuple[str, str]]:
    """(link, label) of each menu entry the user's roles allow, in the menu's order."""
    everywhere, roles, whole_city = held_roles(user, assignments)
    return [
        (reverse(entry.url_name), str(entry.label))
        for entry in ENTRIES
        if allowed(entry, everywhere, roles, whole_city)
    ]
