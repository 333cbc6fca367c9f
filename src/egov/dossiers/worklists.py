"""The staff's work queues and dossier search, each one indexed query on the dossier table.

A queue is what waits for the user's roles in their agencies now (the dossier carries its current
step, agency, role and assignee, so no join through the history is needed); the search looks at
every dossier the user may open.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, CharField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.catalog.models import WorkflowStep
from egov.core.paging import SEARCH_CAP
from egov.core.text import normalize_search_text
from egov.dossiers import processing
from egov.dossiers.models import Dossier

Action = WorkflowStep.Action
PROCESSING_ACTIONS = [
    Action.PROCESS,
    Action.REVIEW,
    Action.CONSULT,
    Action.CONSULTATION,  # the handler waits for the answers there, or picks whom to ask
    Action.TRANSFER,
]
DECIDING_ACTIONS = [Action.APPROVE, Action.SIGN]
REVIEWERS = processing.SUPERVISORS


# Each tab is one condition on the dossier's own columns: no sub-select of dossiers, so
# PostgreSQL answers from the dossier indexes. The current step's action is matched by the ids
# of the workflow steps with that action (a small table) rather than a join: OR-ed with a join,
# the "receive" tab took PostgreSQL 20 ms to plan at 20 million dossiers, 0.3 ms this way.


def at_step(*actions) -> Q:
    return Q(current_step__in=WorkflowStep.objects.filter(action__in=actions).values("pk"))


def _receive(user, scope) -> QuerySet:
    desk = scope.ids([Role.DESK_OFFICER])
    waiting = Q(status=Dossier.Status.SUBMITTED) & processing.within("receiving_agency", desk)
    return Dossier.objects.filter(
        waiting | (processing.work_condition(user, scope) & at_step(Action.RECEIVE))
    )


def _assign(user, scope) -> QuerySet:
    return Dossier.objects.filter(
        processing.to_assign_condition(user, scope)
        | (processing.work_condition(user, scope) & at_step(Action.ASSIGN))
    )


def _supervisors_review() -> Q:
    return at_step(Action.REVIEW) & Q(current_role__in=REVIEWERS)


def _process(user, scope) -> QuerySet:
    # A review (thẩm định) by a head of unit or leader is on their own tab, not a specialist's.
    return processing.work_queue(user, scope).filter(
        at_step(*PROCESSING_ACTIONS) & ~_supervisors_review()
    )


def _review(user, scope) -> QuerySet:
    """Dossiers at a review step that waits for a head of unit or leader of the user's agencies
    (the catalogue gives most reviews to the approver role, whom no other tab showed them)."""
    return processing.work_queue(user, scope).filter(_supervisors_review())


def _approve(user, scope) -> QuerySet:
    return processing.work_queue(user, scope).filter(at_step(*DECIDING_ACTIONS))


def _return(user, scope) -> QuerySet:
    return processing.work_queue(user, scope).filter(at_step(Action.RETURN))


def _overdue(user, scope) -> QuerySet:
    ids = scope.ids(processing.STAFF_ROLES)
    if ids == []:
        return Dossier.objects.none()
    mine = Q() if ids is None else Q(current_agency__in=ids) | Q(receiving_agency__in=ids)
    return Dossier.objects.filter(
        mine, status__in=processing.OVERDUE_STATUSES, due_at__lt=timezone.now()
    )


@dataclass(frozen=True)
class Tab:
    code: str
    label: str | Promise
    query: Callable[..., QuerySet]


TABS = [
    Tab("receive", _("To receive"), _receive),
    Tab("assign", _("To assign"), _assign),
    Tab("process", _("To process"), _process),
    Tab("review", _("To review"), _review),
    Tab("approve", _("To approve"), _approve),
    Tab("return", _("To return"), _return),
    Tab("overdue", _("Overdue"), _overdue),
]
TAB_BY_CODE = {tab.code: tab for tab in TABS}
SORTS = {"due": ("due_at", "id"), "-due": ("-due_at", "-id"), "received": ("received_at", "id")}


# What a list of dossiers shows (the queue and search pages, the staff API): a row is read with
# these columns only. The whole rows carried each dossier's answers and its procedure version's
# e-form schema, legal bases and steps, decoded for every line of every page.
LIST_RELATED = ("procedure_version", "current_step", "current_agency", "assignee")
LIST_FIELDS = (
    "public_id",
    "code",
    "status",
    "applicant_name",
    "due_at",
    "procedure_version__name",
    "current_step__name",
    "current_step__code",
    "current_agency__name",
    "current_agency__code",
    "assignee__username",
    "assignee__full_name",
)


def listed(dossiers: QuerySet) -> QuerySet:
    """``dossiers`` read as a list shows them."""
    return dossiers.select_related(*LIST_RELATED).only(*LIST_FIELDS)


def queue(user, tab: str, sort: str = "due", scope=None) -> QuerySet:
    query = TAB_BY_CODE[tab].query(user, scope or processing.StaffScope(user))
    return query.order_by(*SORTS.get(sort, SORTS["due"]))


def counts(user, scope=None) -> list[tuple[Tab, int]]:
    """How many dossiers wait in each of the user's tabs, each counted up to
    ``core.paging.SEARCH_CAP`` + 1 (one query a tab, stopping there, as the queue page does)."""
    scope = scope or processing.StaffScope(user)
    return [
        (tab, tab.query(user, scope).order_by()[: SEARCH_CAP + 1].count())
        for tab in tabs_for(user, scope)
    ]


def tabs_for(user, scope=None) -> list[Tab]:
    """The tabs that make sense for the user's roles."""
    scope = scope or processing.StaffScope(user)
    if scope.by_role is None:
        return list(TABS)
    roles = set(scope.by_role)
    wanted = {"overdue"}
    if Role.DESK_OFFICER in roles:
        wanted |= {"receive", "return"}
    if roles & {Role.APPROVER, Role.LEADER}:
        wanted |= {"assign", "review", "approve"}
    if Role.SPECIALIST in roles:
        wanted |= {"process"}
    return [tab for tab in TABS if tab.code in wanted]


class NameKeysMatch(Func):
    """On PostgreSQL: the dossier's name keys (migration dossiers/0009, indexed) match a
    tsquery."""

    function = "egov_name_keys"
    output_field = BooleanField()

    def __init__(self, query: str):
        super().__init__(F("visible_agencies"), F("applicant_search"))
        self.query = query

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return f"{sql} @@ %s::tsquery", (*params, self.query)


def _lexeme(key: str, prefix: bool = False) -> str:
    quoted = "'" + key.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def name_keys_query(words: list[str], agency_ids) -> str:
    """Every word of the query, the last one as a prefix, under one of the user's agencies
    (``16.nga``) or, for a city-wide role (``None``), alone."""
    prefixes = [""] if agency_ids is None else [f"{pk}." for pk in agency_ids]
    alternatives = [
        " & ".join(
            _lexeme(prefix + word, prefix=i == len(words) - 1) for i, word in enumerate(words)
        )
        for prefix in prefixes
    ]
    return " | ".join(f"({alternative})" for alternative in alternatives)


def name_matches(text: str, agency_ids=None, vendor: str = "") -> Q:
    """Every word of ``text`` (without accents or case) starts a word of the applicant's name,
    in any order; all but the last are whole words (``nguyen nga`` finds Nguyễn Thị Nga,
    ``tran hong ng`` Trần Hồng Ngân). On PostgreSQL through the name keys' GIN index, where the
    rarest word under the user's agency leads (a name's trigrams, each in hundreds of thousands
    of names, made the index scan cost 280–550 ms at 20 million dossiers); elsewhere by LIKE."""
    words = normalize_search_text(text).split()
    if not words:
        return Q()
    if vendor == "postgresql":
        return Q(NameKeysMatch(name_keys_query(words, agency_ids)))
    spaced = Concat(Value(" "), "applicant_search", Value(" "), output_field=CharField())
    condition = Q()
    for position, word in enumerate(words):
        whole = " " if position < len(words) - 1 else ""
        condition &= Q(Contains(spaced, f" {word}{whole}"))
    return condition


CODE = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4}$", re.IGNORECASE)
CODE_PREFIX = re.compile(r"^[0-9A-Z.]+-[\d-]*$", re.IGNORECASE)
CITIZEN_ID = re.compile(r"^\d{12}$")
PHONE = re.compile(r"^(?:\+?84|0)(\d{9})$")


def search(
    user,
    q: str = "",
    *,
    procedure: str = "",
    status: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    scope=None,
) -> QuerySet:
    """By code, applicant's name (with or without accents), CCCD or phone, within what the user
    may open; filters by procedure, status and period of receipt or submission."""
    scope = scope or processing.StaffScope(user)
    text = q.strip()
    compact = re.sub(r"[\s.]", "", text) if text.replace(" ", "").isdigit() else text
    ids = scope.ids(processing.STAFF_ROLES)
    by_rows = not text and ids is not None and len(ids) == 1
    if by_rows:
        # Filters only, one agency: its newest dossiers (in the status asked for) from its own
        # rows (DossierAgency), which exist for the submitted dossiers of its set only. The
        # set and the status are not asked of the dossier again: with them, PostgreSQL
        # expected 20 rows where the busiest agency has 40,437 in progress, and read them all
        # through both GIN and status indexes (445 ms) instead of the rows' index in order.
        # One filter() call: a second would join the rows again, for any agency.
        row = {"agency_rows__agency": ids[0]}
        if status in Dossier.Status.values:
            row["agency_rows__status"] = status
        found = Dossier.objects.filter(**row)
        newest = ("-agency_rows__submitted_at", "-id")
    else:
        found = processing.visible_to_staff(user, scope)
        newest = ("-submitted_at", "-id")
    if not text:
        pass  # filters only
    elif CODE.match(text):
        found = found.filter(code=text.upper())
    elif CITIZEN_ID.match(compact):
        found = found.filter(applicant__citizen_id=compact)
    elif match := PHONE.match(compact.replace(" ", "")):
        found = found.filter(applicant__phone__in=[f"0{match[1]}", f"+84{match[1]}"])
    elif CODE_PREFIX.match(text) and any(ch.isdigit() for ch in text):
        found = found.filter(code__startswith=text.upper())
    else:
        found = found.filter(name_matches(text, ids, connections[found.db].vendor))
    if procedure:
        found = found.filter(procedure__code=procedure.strip())
    if status in Dossier.Status.values and not by_rows:
        found = found.filter(status=status)
    if start:
        found = found.filter(submitted_at__date__gte=start)
    if end:
        found = found.filter(submitted_at__date__lte=end)
    return found.order_by(*newest)


def sees_personal_data(user, dossier: Dossier) -> bool:
    """The desk that deals with the applicant and whoever holds the dossier now see the CCCD
    and phone in full; others (leaders browsing, consulted agencies) see them masked."""
    if scoping.has_role(user, Role.DESK_OFFICER, dossier.receiving_agency):
        return True
    return dossier.assignee_id == user.pk
