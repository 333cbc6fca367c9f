"""Operations on citizen reports: the only code that changes them.

Each runs in one transaction with its audit record and the report's history; the reporter hears
of each change through the domain event ``feedback.report_updated`` (the notifications app
subscribes to it, docs/architecture.md). Staff operations check the actor's role in the
report's agency even though the views found the report through the scoping helper.
"""

import datetime
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from egov.accounts import scoping
from egov.accounts.models import Role, User
from egov.core import audit, calendar, events, files, uploads
from egov.feedback import geo, links, media, remote
from egov.feedback.models import (
    ApiClient,
    Attribute,
    Category,
    CommuneBoundary,
    Media,
    Rating,
    Report,
    ReportEvent,
)
from egov.organizations.models import AdministrativeUnit, Agency

logger = logging.getLogger(__name__)

# Who works on an agency's reports, and who may only read them.
HANDLING_ROLES = [
    Role.DESK_OFFICER,
    Role.SPECIALIST,
    Role.APPROVER,
    Role.LEADER,
    Role.AGENCY_ADMIN,
]
READING_ROLES = [*HANDLING_ROLES, Role.AUDITOR]
REPORT_AUDIT_FIELDS = ["status", "agency_id", "assignee_id", "due_at", "category_id"]
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")
MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 4000
MAX_NOTE = 2000
S = Report.Status
E = ReportEvent.Kind
DUPLICATE_ANSWERED = pgettext_lazy(
    "report event", "The report that yours was merged into was answered"
)


@dataclass
class Upload:
    name: str
    data: bytes


@dataclass
class Draft:
    """What a citizen or an Open311 client sends; checked whole before anything is written."""

    category: Category | None
    description: str
    latitude: float | None = None
    longitude: float | None = None
    place_source: str = Report.PlaceSource.MAP
    address: str = ""
    commune_code: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    attributes: dict = field(default_factory=dict)
    files: list[Upload] = field(default_factory=list)
    reporter: User | None = None
    source: str = Report.Source.PORTAL
    client: ApiClient | None = None
    device_id: str = ""
    media_url: str = ""
    submission_key: str = ""


# --- Helpers --------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    """Trimmed, with control characters other than line breaks and tabs refused."""
    value = (value or "").replace("\r\n", "\n").strip()
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise ValidationError(_("The text contains invisible control characters; type it again."))
    return value


def _event(report, kind, *, note="", public=True, actor=None, at=None) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        province_code=report.province_code,
        at=at or timezone.now(),
        kind=kind,
        status=report.status,
        note=note,
        public=public,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _audit(actor, action, report, before=None, after=None, extra=None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=report,
        object_repr=report.code,
        agency_id=report.agency_id,
        before=before,
        after={**(after or {}), **(extra or {})} if (after or extra) else None,
    )


def _tell_reporter(report: Report, event: ReportEvent) -> None:
    """Publishes the change for the notifications app, with everything its message says."""
    if event.kind == E.RECEIVED:
        message, extra = (
            "feedback.received",
            {"due_date": f"{timezone.localtime(report.due_at):%d/%m/%Y}"},
        )
    elif event.kind == E.ANSWERED:
        message, extra = "feedback.answered", {"answer": report.answer}
    else:
        message, extra = "feedback.updated", {"status": E(event.kind).label, "note": event.note}
    _publish(report, message, extra)


def _publish(report: Report, message: str, extra: dict) -> None:
    reporter = report.reporter
    events.publish(
        "feedback.report_updated",
        report=report,
        message=message,
        reporter=reporter,
        contact={"email": report.contact_email, "phone": report.contact_phone},
        context={
            "citizen_name": (reporter.full_name if reporter else "") or report.contact_name,
            "report_code": report.code,
            "category_name": report.category.name,
            "agency_name": report.agency.name,
            "report_url": links.absolute(links.reporter_path(report)),
            **extra,
        },
    )


def _tell_duplicates(report: Report) -> None:
    """The reporters of the duplicates merged into ``report`` were told to follow it: its
    answer is the answer to their report too, so they hear of it like its own reporter."""
    for duplicate in report.duplicates.filter(status=S.MERGED).select_related(
        "category", "agency", "reporter"
    ):
        _publish(
            duplicate,
            "feedback.updated",
            {"status": DUPLICATE_ANSWERED, "note": f"{report.code}: {report.answer}"},
        )


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "agency")
        .get(pk=report.pk)
    )


def can_handle(user, agency: Agency) -> bool:
    return scoping.agency_scope(user, HANDLING_ROLES).filter(pk=agency.pk).exists()


def _require_handler(actor, report: Report) -> None:
    if not can_handle(actor, report.agency):
        raise PermissionDenied


def _require_admin(actor) -> None:
    if not scoping.is_system_wide(actor):
        raise PermissionDenied


def new_code(moment: datetime.datetime) -> str:
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))
    return f"PA-{timezone.localtime(moment):%y%m}-{suffix}"


def due_at(start: datetime.datetime, category: Category) -> datetime.datetime:
    return calendar.add_working_time(start, days=category.deadline_days)


def responsible_agency(category: Category, commune: AdministrativeUnit | None) -> Agency:
    """The commune's People's Committee under the commune rule (when the platform has one in
    force today), else the category's agency."""
    if category.routing == Category.Routing.COMMUNE and commune is not None:
        committee = (
            Agency.objects.as_of(timezone.localdate())
            .filter(unit=commune, kind=Agency.Kind.PEOPLES_COMMITTEE)
            .order_by("code")
            .first()
        )
        if committee is not None:
            return committee
    return category.agency


def communes_today():
    """The communes, wards and special zones of the province as they are today."""
    return (
        AdministrativeUnit.objects.as_of(timezone.localdate())
        .filter(
            level=AdministrativeUnit.Level.COMMUNE,
            parent__code=settings.EGOV_PROVINCE_CODE,
            parent__level=AdministrativeUnit.Level.PROVINCE,
        )
        .order_by("name")
    )


def _in_area(latitude: float, longitude: float) -> bool:
    south, west, north, east = settings.EGOV_FEEDBACK_AREA
    return south <= latitude <= north and west <= longitude <= east


# --- Checking a draft ---------------------------------------------------------------------------


def _check_attributes(category: Category, given: dict, errors: dict) -> dict:
    answers = {}
    for attribute in category.attributes.all():
        raw = given.get(attribute.code)
        values = raw if isinstance(raw, list) else ([] if raw in (None, "") else [raw])
        values = [str(value).strip() for value in values if str(value).strip()]
        key = f"attribute[{attribute.code}]"
        if not values:
            if attribute.required:
                errors[key] = _("Answer “%(question)s”.") % {"question": attribute.description}
            continue
        kind = attribute.datatype
        if kind == Attribute.Datatype.MULTI:
            if not set(values) <= set(attribute.choice_keys):
                errors[key] = _("Choose from the list for “%(question)s”.") % {
                    "question": attribute.description
                }
            answers[attribute.code] = values
            continue
        value = values[0]
        if kind == Attribute.Datatype.SINGLE and value not in attribute.choice_keys:
            errors[key] = _("Choose from the list for “%(question)s”.") % {
                "question": attribute.description
            }
        elif kind == Attribute.Datatype.NUMBER:
            try:
                float(value.replace(",", "."))
            except ValueError:
                errors[key] = _("Give a number for “%(question)s”.") % {
                    "question": attribute.description
                }
        elif kind == Attribute.Datatype.DATETIME and parse_datetime(value) is None:
            errors[key] = _("Give a date and time such as 2026-01-15T08:30 for “%(question)s”.") % {
                "question": attribute.description
            }
        answers[attribute.code] = value[:1000]
    return answers


def _check_contact(draft: Draft, errors: dict) -> tuple[str, str, str]:
    name = " ".join((draft.contact_name or "").split())[:200]
    email = (draft.contact_email or "").strip()
    phone = re.sub(r"[\s.()-]", "", draft.contact_phone or "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _("Give an e-mail address such as ten@example.vn.")
    if phone and not PHONE.match(phone):
        errors["contact_phone"] = _("Give a Vietnamese phone number, e.g. 0912345678.")
    if any(ord(ch) < 32 for ch in name):
        errors["contact_name"] = _("The name contains invisible control characters.")
    return name, email, phone


def _check_files(files: list[Upload], errors: dict) -> list[media.Prepared]:
    prepared = []
    for upload in files:
        try:
            prepared.append(media.prepare(upload.data))
        except uploads.UploadRejected as exc:
            errors["media"] = f"{upload.name[:100]}: {exc}"
            return []
    videos = [item for item in prepared if item.kind == Media.Kind.VIDEO]
    if videos and len(prepared) > 1:
        errors["media"] = _("Send either photos or one video, not both.")
    elif len(prepared) > settings.EGOV_FEEDBACK_MAX_PHOTOS:
        errors["media"] = _("Send at most %(count)s photos.") % {
            "count": settings.EGOV_FEEDBACK_MAX_PHOTOS
        }
    return prepared


def _check_place(draft: Draft, photos: list[media.Prepared], errors: dict):
    """(latitude, longitude, source, commune, address) once every part is checked."""
    latitude, longitude, source = draft.latitude, draft.longitude, draft.place_source
    address = " ".join((draft.address or "").split())[:300]
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Give both the latitude and the longitude, or neither.")
        return None
    if latitude is None:
        located = next((p for p in photos if p.latitude is not None), None)
        if located is not None:
            latitude, longitude = located.latitude, located.longitude
            source = Report.PlaceSource.PHOTO
    if latitude is not None:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            errors["latitude"] = _(
                "The position is not valid: give degrees of latitude and "
                "longitude, e.g. 10.0341, 105.7852."
            )
            return None
        if not _in_area(latitude, longitude):
            if source == Report.PlaceSource.PHOTO:
                latitude = longitude = None  # an old photo taken elsewhere: not the place
                source = Report.PlaceSource.ADDRESS
            else:
                errors["latitude"] = _(
                    "This place is outside %(site)s. Choose the place on the map again."
                ) % {"site": settings.EGOV_SITE_NAME}
                return None
    commune = None
    if draft.commune_code:
        commune = communes_today().filter(code=draft.commune_code).first()
        if commune is None:
            errors["commune"] = _("Choose a commune, ward or special zone as they are today.")
            return None
    if latitude is not None:
        commune = geo.commune_at(latitude, longitude) or commune
    if latitude is None and commune is None and len(address) < 5:
        errors["place"] = _(
            "Say where it is: use your position, pick the point on the map, or choose the "
            "commune and give the address."
        )
        return None
    if latitude is None:
        source = Report.PlaceSource.ADDRESS
    return latitude, longitude, source, commune, address


def check(draft: Draft) -> dict:
    """Every problem of the draft at once, by field; the prepared files and place when none."""
    errors: dict[str, str] = {}
    category = draft.category
    if category is None or not category.is_active:
        errors["category"] = _("Choose what the report is about.")
    try:
        description = _clean_text(draft.description)
    except ValidationError as exc:
        errors["description"] = exc.messages[0]
        description = ""
    if "description" not in errors and len(description) < MIN_DESCRIPTION:
        errors["description"] = _(
            "Describe the problem in a few words (at least %(n)s letters)."
        ) % {"n": MIN_DESCRIPTION}
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Keep the description under %(n)s letters.") % {
            "n": MAX_DESCRIPTION
        }
    contact = _check_contact(draft, errors)
    media_url = (draft.media_url or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["https", "http"])(media_url)
        except ValidationError:
            errors["media_url"] = _("Give the photo's address as a web address (https://…).")
        if len(media_url) > 200:
            errors["media_url"] = _("The photo's address is too long (200 characters at most).")
    answers = _check_attributes(category, draft.attributes, errors) if category else {}
    prepared = _check_files(draft.files, errors)
    place = _check_place(draft, prepared, errors)
    return {
        "errors": errors,
        "description": description,
        "contact": contact,
        "answers": answers,
        "files": prepared,
        "place": place,
        "media_url": media_url,
    }


# --- Submission -----------------------------------------------------------------------------------


def submit(draft: Draft) -> Report:
    """Checks the whole draft (files through ClamAV, EXIF read and stripped), then writes the
    report, its files, its history and its audit record at once. The same submission key
    twice returns the first report."""
    if draft.submission_key:
        existing = Report.objects.filter(submission_key=draft.submission_key).first()
        if existing is not None:
            return existing
    checked = check(draft)
    if checked["errors"]:
        raise ValidationError(checked["errors"])
    try:
        return _write(draft, checked)
    except IntegrityError:
        if draft.submission_key:
            existing = Report.objects.filter(submission_key=draft.submission_key).first()
            if existing is not None:
                return existing  # the same form, sent twice at once
        raise


def _write(draft: Draft, checked: dict) -> Report:
    latitude, longitude, source, commune, address = checked["place"]
    name, email, phone = checked["contact"]
    category = draft.category
    now = timezone.now()
    stored: list = []
    try:
        with transaction.atomic():
            agency = responsible_agency(category, commune)
            report = Report(
                category=category,
                description=checked["description"],
                attributes=checked["answers"],
                agency=agency,
                latitude=latitude,
                longitude=longitude,
                cell=geo.cell_of(latitude, longitude) if latitude is not None else None,
                address=address,
                commune=commune,
                place_source=source,
                reporter=draft.reporter,
                contact_name=name,
                contact_email=email,
                contact_phone=phone,
                source=draft.source,
                client=draft.client,
                device_id=(draft.device_id or "")[:100],
                media_url=checked["media_url"],
                media_url_status=Report.MediaUrlStatus.PENDING
                if checked["media_url"]
                else Report.MediaUrlStatus.NONE,
                media_url_next_at=now if checked["media_url"] else None,
                submission_key=draft.submission_key or None,
                received_at=now,
                due_at=due_at(now, category),
            )
            for _attempt in range(5):
                report.code = new_code(now)
                try:
                    with transaction.atomic():
                        report.save()
                    break
                except IntegrityError:
                    if Report.objects.filter(code=report.code).exists():
                        continue  # the same random code twice: draw again
                    raise
            _store_media(report, checked["files"], Media.Role.REPORT, stored)
            event = _event(report, E.RECEIVED, at=now)
            _audit(
                draft.reporter,
                "feedback.received",
                report,
                after={
                    **audit.snapshot(report, REPORT_AUDIT_FIELDS),
                    "source": report.source,
                    "client": report.client_id,
                    "commune": commune.code if commune else None,
                    "place_source": source,
                    "media": len(checked["files"]),
                },
            )
            _tell_reporter(report, event)
            if report.media_url:
                transaction.on_commit(_enqueue_media_fetch)
            return report
    except Exception:
        for name_ in stored:
            Media.file.field.storage.delete(name_)
        raise


def _store_media(report: Report, prepared: list, role: str, stored: list) -> list[Media]:
    """Writes each file and its thumbnail; ``stored`` collects the names to delete if the
    transaction fails afterwards."""
    rows = []
    for item in prepared:
        row = Media(
            report=report,
            province_code=report.province_code,
            kind=item.kind,
            role=role,
            mime=item.mime,
            extension=item.extension,
            size=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(),
            width=item.width,
            height=item.height,
        )
        files.save(row.file, f"{item.kind}.{item.extension}", item.data)
        stored.append(row.file.name)
        if item.thumbnail:
            files.save(row.thumbnail, "thumbnail.jpg", item.thumbnail)
            stored.append(row.thumbnail.name)
        row.save()
        rows.append(row)
    return rows


# --- The photo an Open311 client names by address ---------------------------------------------

# Minutes before trying an unreachable server again, attempt after attempt.
FETCH_BACKOFF_MINUTES = [1, 5, 30, 120, 360]


def _enqueue_media_fetch() -> None:
    from egov.feedback.tasks import fetch_report_media

    try:
        fetch_report_media.enqueue()
    except Exception:
        # The sweeper (manage.py fetch_report_media) fetches what is due anyway.
        logger.exception("could not enqueue the fetching of a report's photo")


def fetch_media_urls(now=None, limit: int = 100) -> dict:
    """Fetches the due photos named by ``media_url``; returns how many were fetched, will be
    tried again, and were given up."""
    now = now or timezone.now()
    due = Report.objects.filter(
        media_url_status=Report.MediaUrlStatus.PENDING, media_url_next_at__lte=now
    ).order_by("media_url_next_at", "pk")
    counts = {"fetched": 0, "retried": 0, "failed": 0, "skipped": 0}
    for pk in due.values_list("pk", flat=True)[:limit]:
        counts[fetch_media_url(pk, now=now)] += 1
    return counts


def next_media_fetch_at():
    return (
        Report.objects.filter(media_url_status=Report.MediaUrlStatus.PENDING)
        .order_by("media_url_next_at")
        .values_list("media_url_next_at", flat=True)
        .first()
    )


def fetch_media_url(pk: int, *, now=None) -> str:
    """Fetches one report's ``media_url`` and keeps it as an upload is kept (type sniffed, size,
    ClamAV, metadata stripped). The download runs outside any transaction; what it found is
    written under the report's lock, once, whoever else fetched it meanwhile."""
    now = now or timezone.now()
    report = Report.objects.filter(pk=pk, media_url_status=Report.MediaUrlStatus.PENDING).first()
    if report is None:
        return "skipped"
    limit = max(settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES, settings.EGOV_FEEDBACK_VIDEO_MAX_BYTES)
    prepared = failure = None
    permanent = True
    try:
        prepared = media.prepare(remote.fetch(report.media_url, max_bytes=limit))
    except remote.FetchFailed as exc:
        failure, permanent = exc.reason, exc.permanent
    except uploads.UploadRejected as exc:
        # Refused for what the file is, or not checked because ClamAV was away (try again).
        failure, permanent = str(exc), not isinstance(exc.__cause__, OSError)
    stored: list = []
    try:
        with transaction.atomic():
            report = _locked(report)
            if report.media_url_status != Report.MediaUrlStatus.PENDING:
                return "skipped"  # another worker was quicker
            if prepared is not None and (reason := _no_room(report, prepared)):
                prepared, failure = None, reason
            if prepared is not None:
                (item,) = _store_media(report, [prepared], Media.Role.REPORT, stored)
                report.media_url_status = Report.MediaUrlStatus.FETCHED
                report.media_url_error = ""
                outcome = "fetched"
                _audit(
                    "system",
                    "feedback.media_fetched",
                    report,
                    after={"media": str(item.public_id), "kind": item.kind},
                )
            else:
                report.media_url_attempts += 1
                report.media_url_error = (failure or "")[:300]
                given_up = permanent or (
                    report.media_url_attempts >= settings.EGOV_FEEDBACK_MEDIA_FETCH_ATTEMPTS
                )
                if given_up:
                    report.media_url_status = Report.MediaUrlStatus.FAILED
                    outcome = "failed"
                    _audit(
                        "system",
                        "feedback.media_url_refused",
                        report,
                        after={"reason": report.media_url_error},
                    )
                else:
                    step = FETCH_BACKOFF_MINUTES[
                        min(report.media_url_attempts, len(FETCH_BACKOFF_MINUTES)) - 1
                    ]
                    report.media_url_next_at = now + datetime.timedelta(minutes=step)
                    outcome = "retried"
            report.save(
                update_fields=[
                    "media_url_status",
                    "media_url_attempts",
                    "media_url_next_at",
                    "media_url_error",
                    "updated_at",
                ]
            )
            return outcome
    except Exception:
        for name in stored:
            Media.file.field.storage.delete(name)
        raise


def _no_room(report: Report, prepared: media.Prepared) -> str:
    """Why the fetched file cannot join the report's files (the same rule as for uploads)."""
    kinds = list(report.media.filter(role=Media.Role.REPORT).values_list("kind", flat=True))
    if kinds and (prepared.kind == Media.Kind.VIDEO or Media.Kind.VIDEO in kinds):
        return _("Send either photos or one video, not both.")
    if len(kinds) >= settings.EGOV_FEEDBACK_MAX_PHOTOS:
        return _("Send at most %(count)s photos.") % {"count": settings.EGOV_FEEDBACK_MAX_PHOTOS}
    return ""


# --- The agency's work -----------------------------------------------------------------------


def _note(value: str, *, required: bool, what: str) -> str:
    note = _clean_text(value)
    if required and len(note) < 3:
        raise ValidationError({"note": what})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Keep it under %(n)s letters.") % {"n": MAX_NOTE}})
    return note


def _require_open(report: Report) -> None:
    if report.status not in Report.OPEN:
        raise ValidationError(
            _("This report is %(status)s: it cannot be changed that way.")
            % {"status": report.get_status_display().lower()}
        )


@transaction.atomic
def assign(report: Report, *, actor, assignee: User) -> Report:
    """Gives the report to a person of its agency (oneself to take it up); it is then being
    handled."""
    report = _locked(report)
    _require_handler(actor, report)
    _require_open(report)
    if not assignee.is_active or not can_handle(assignee, report.agency):
        raise ValidationError(
            {
                "assignee": _("Choose a person who handles reports in %(agency)s.")
                % {"agency": report.agency.name}
            }
        )
    before = audit.snapshot(report, REPORT_AUDIT_FIELDS)
    report.assignee = assignee
    started = report.status == S.NEW
    report.status = S.IN_PROGRESS
    report.save(update_fields=["assignee", "status", "updated_at"])
    _event(report, E.ASSIGNED, note=str(assignee), public=False, actor=actor)
    _audit(actor, "feedback.assigned", report, before, audit.snapshot(report, REPORT_AUDIT_FIELDS))
    if started:
        _tell_reporter(report, _event(report, E.STARTED, actor=actor))
    return report


@transaction.atomic
def transfer(report: Report, *, actor, agency: Agency, reason: str) -> Report:
    """Sends the report to the agency that should answer it; the reporter sees where and why.
    The time limit is the reporter's and does not start again."""
    report = _locked(report)
    _require_handler(actor, report)
    _require_open(report)
    reason = _note(reason, required=True, what=_("Say why the report goes to that agency."))
    if agency.pk == report.agency_id:
        raise ValidationError({"agency": _("The report is already with this agency.")})
    if not agency.in_force_on(timezone.localdate()):
        raise ValidationError({"agency": _("Choose an agency that exists today.")})
    before = audit.snapshot(report, REPORT_AUDIT_FIELDS)
    report.agency = agency
    report.assignee = None
    report.status = S.NEW
    report.save(update_fields=["agency", "assignee", "status", "updated_at"])
    event = _event(report, E.TRANSFERRED, note=f"{agency.name}: {reason}", actor=actor)
    # Recorded in the chain of the agency that gave the report away.
    audit.record(
        actor=actor,
        action="feedback.transferred",
        obj=report,
        object_repr=report.code,
        agency_id=before["agency_id"],
        before=before,
        after={**audit.snapshot(report, REPORT_AUDIT_FIELDS), "reason": reason},
    )
    _tell_reporter(report, event)
    return report


def duplicate_candidates(report: Report, limit: int = 10):
    """Open or answered reports of the same category near this one (or in its commune when it
    has no point), newest first: what the officer may merge it into."""
    others = (
        Report.objects.filter(category=report.category, merged_into__isnull=True)
        .exclude(pk=report.pk)
        .exclude(status=S.MERGED)
    )
    if report.has_point:
        others = geo.near(
            others, report.latitude, report.longitude, settings.EGOV_FEEDBACK_DUPLICATE_RADIUS_M
        )
    elif report.commune_id:
        others = others.filter(commune=report.commune_id)
    else:
        return Report.objects.none()
    return others.select_related("agency").order_by("-received_at")[:limit]


def _near_each_other(a: Report, b: Report) -> bool:
    if a.has_point and b.has_point:
        radius = settings.EGOV_FEEDBACK_DUPLICATE_RADIUS_M
        return geo.distance_m(a.latitude, a.longitude, b.latitude, b.longitude) <= radius
    return a.commune_id is not None and a.commune_id == b.commune_id


@transaction.atomic
def merge(duplicate: Report, *, actor, into: Report, note: str = "") -> Report:
    """Closes ``duplicate`` as a copy of ``into`` (same category, near each other); its
    reporter is told where to follow the answer."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": _("A report cannot be merged into itself.")})
    first, second = sorted([duplicate, into], key=lambda r: r.pk)
    locked = {r.pk: _locked(r) for r in (first, second)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    _require_handler(actor, duplicate)
    _require_handler(actor, into)
    _require_open(duplicate)
    if into.status == S.MERGED:
        raise ValidationError(
            {"into": _("That report was itself merged; choose the one it went into.")}
        )
    if into.category_id != duplicate.category_id or not _near_each_other(duplicate, into):
        raise ValidationError(
            {"into": _("Only reports of the same category at the same place can be merged.")}
        )
    note = _note(note, required=False, what="")
    before = audit.snapshot(duplicate, REPORT_AUDIT_FIELDS)
    now = timezone.now()
    duplicate.status = S.MERGED
    duplicate.merged_into = into
    duplicate.closed_at = now
    duplicate.save(update_fields=["status", "merged_into", "closed_at", "updated_at"])
    # Reports merged into this one before now follow ``into`` too: their page links to the
    # report that will be answered, and their reporters hear of its answer.
    followers = list(
        Report.objects.select_for_update()
        .filter(merged_into=duplicate)
        .order_by("pk")
        .values_list("code", flat=True)
    )
    Report.objects.filter(merged_into=duplicate).update(merged_into=into, updated_at=now)
    text = _("Same problem as report %(code)s, where the answer will be given.") % {
        "code": into.code
    }
    event = _event(duplicate, E.MERGED, note=f"{text} {note}".strip(), actor=actor, at=now)
    for code in [duplicate.code, *followers]:
        _event(into, E.DUPLICATE, note=code, actor=actor, at=now)
    _audit(
        actor,
        "feedback.merged",
        duplicate,
        before,
        audit.snapshot(duplicate, REPORT_AUDIT_FIELDS),
        extra={"into": into.code, "followers": followers},
    )
    _tell_reporter(duplicate, event)
    return duplicate


@transaction.atomic
def hide(report: Report, *, actor, reason: str) -> Report:
    """Takes the whole report off the public list, map and page (abuse, or personal data
    everywhere in it); staff still see it and the reporter is still answered."""
    report = _locked(report)
    _require_handler(actor, report)
    reason = _note(reason, required=True, what=_("Say why the report is hidden."))
    report.hidden_at = timezone.now()
    report.hidden_reason = reason[:300]
    report.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    _event(report, E.HIDDEN, note=reason, public=False, actor=actor)
    _audit(actor, "feedback.hidden", report, None, {"reason": reason})
    return report


@transaction.atomic
def show(report: Report, *, actor) -> Report:
    report = _locked(report)
    _require_handler(actor, report)
    before = {"reason": report.hidden_reason}
    report.hidden_at = None
    report.hidden_reason = ""
    report.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    _event(report, E.SHOWN, public=False, actor=actor)
    _audit(actor, "feedback.shown", report, before, {"hidden": False})
    return report


@transaction.atomic
def redact(report: Report, *, actor, public_description: str, reason: str) -> Report:
    """The description the public sees, with the personal data taken out; the reporter's own
    words stay for the agency."""
    report = _locked(report)
    _require_handler(actor, report)
    reason = _note(reason, required=True, what=_("Say what was hidden and why."))
    text = _clean_text(public_description)
    if len(text) < 3:
        raise ValidationError({"public_description": _("Give the text the public may see.")})
    report.public_description = text[:MAX_DESCRIPTION]
    report.save(update_fields=["public_description", "updated_at"])
    _event(report, E.REDACTED, note=reason, actor=actor)
    _audit(actor, "feedback.redacted", report, None, {"reason": reason})
    return report


@transaction.atomic
def hide_media(item: Media, *, actor, reason: str) -> Media:
    report = _locked(item.report)
    _require_handler(actor, report)
    reason = _note(reason, required=True, what=_("Say why the photo or video is hidden."))
    item = Media.objects.select_for_update().get(pk=item.pk)
    item.hidden_at = timezone.now()
    item.hidden_reason = reason[:300]
    item.save(update_fields=["hidden_at", "hidden_reason"])
    _event(report, E.REDACTED, note=reason, actor=actor)
    _audit(
        actor,
        "feedback.media_hidden",
        report,
        None,
        {"media": str(item.public_id), "reason": reason},
    )
    return item


def _prepare_answer_files(files: list[Upload]) -> list[media.Prepared]:
    prepared = []
    for upload in files:
        try:
            prepared.append(media.prepare(upload.data, photos_only=True))
        except uploads.UploadRejected as exc:
            raise ValidationError({"media": f"{upload.name[:100]}: {exc}"}) from exc
    if len(prepared) > settings.EGOV_FEEDBACK_MAX_PHOTOS:
        raise ValidationError(
            {
                "media": _("Send at most %(count)s photos.")
                % {"count": settings.EGOV_FEEDBACK_MAX_PHOTOS}
            }
        )
    return prepared


def answer(report: Report, *, actor, text: str, files: list[Upload] | None = None) -> Report:
    """The agency's answer, published on the report's page; photos show what was done."""
    text = _note(text, required=True, what=_("Write the answer to the reporter."))
    if len(text) < 10:
        raise ValidationError({"note": _("Write the answer in a sentence or more.")})
    prepared = _prepare_answer_files(files or [])
    stored: list = []
    try:
        with transaction.atomic():
            report = _locked(report)
            _require_handler(actor, report)
            _require_open(report)
            before = audit.snapshot(report, REPORT_AUDIT_FIELDS)
            now = timezone.now()
            report.status = S.ANSWERED
            report.answer = text
            report.answered_at = now
            report.answered_by = actor
            report.assignee = report.assignee or actor
            report.save(
                update_fields=[
                    "status",
                    "answer",
                    "answered_at",
                    "answered_by",
                    "assignee",
                    "updated_at",
                ]
            )
            _store_media(report, prepared, Media.Role.ANSWER, stored)
            event = _event(report, E.ANSWERED, note=text, actor=actor, at=now)
            _audit(
                actor,
                "feedback.answered",
                report,
                before,
                audit.snapshot(report, REPORT_AUDIT_FIELDS),
                extra={"on_time": now <= report.due_at, "photos": len(prepared)},
            )
            _tell_reporter(report, event)
            _tell_duplicates(report)
            return report
    except Exception:
        for name in stored:
            Media.file.field.storage.delete(name)
        raise


@transaction.atomic
def close(report: Report, *, actor, note: str = "") -> Report:
    """Closes an answered report; an open one only with a note, which becomes its answer (a
    report outside any agency's remit, one already solved)."""
    report = _locked(report)
    _require_handler(actor, report)
    if report.status not in (*Report.OPEN, S.ANSWERED):
        raise ValidationError(_("This report is already closed."))
    note = _note(
        note,
        required=report.status != S.ANSWERED,
        what=_("Say why the report is closed without an answer: the reporter reads it."),
    )
    before = audit.snapshot(report, REPORT_AUDIT_FIELDS)
    now = timezone.now()
    was_open = report.status in Report.OPEN
    if was_open:
        report.answer = note
        report.answered_at = now
        report.answered_by = actor
    report.status = S.CLOSED
    report.closed_at = now
    report.save()
    event = _event(report, E.CLOSED, note=note, actor=actor, at=now)
    _audit(actor, "feedback.closed", report, before, audit.snapshot(report, REPORT_AUDIT_FIELDS))
    _tell_reporter(report, event)
    if was_open:
        _tell_duplicates(report)  # the note is the answer they wait for
    return report


# --- The reporter -------------------------------------------------------------------------------


def reopen_until(report: Report) -> datetime.datetime | None:
    if report.answered_at is None:
        return None
    return report.answered_at + datetime.timedelta(days=settings.EGOV_FEEDBACK_REOPEN_DAYS)


def can_reopen(report: Report, now=None) -> bool:
    until = reopen_until(report)
    return (
        report.status in (S.ANSWERED, S.CLOSED)
        and report.reopen_count == 0
        and until is not None
        and (now or timezone.now()) <= until
    )


def can_rate(report: Report, now=None) -> bool:
    until = reopen_until(report)
    return (
        report.status in (S.ANSWERED, S.CLOSED)
        and until is not None
        and (now or timezone.now()) <= until
    )


@transaction.atomic
def rate(report: Report, *, score: int, comment: str = "", by=None) -> Report:
    """The reporter's satisfaction with the answer (the latest rating counts)."""
    report = _locked(report)
    if not can_rate(report):
        raise ValidationError(
            _(
                "This report cannot be rated now: it has no answer, or the time "
                "to rate it has passed."
            )
        )
    if score not in Rating.values:
        raise ValidationError({"rating": _("Choose how satisfied you are.")})
    comment = _clean_text(comment)[:1000]
    before = {"rating": report.rating}
    report.rating = score
    report.rating_comment = comment
    report.rated_at = timezone.now()
    report.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    _event(report, E.RATED, note=str(Rating(score).label), actor=by)
    _audit(by, "feedback.rated", report, before, {"rating": score})
    return report


@transaction.atomic
def reopen(report: Report, *, reason: str, by=None) -> Report:
    """Once, within the reopening window after the answer: the reporter is not satisfied. The
    agency has the category's time limit again, counted from now."""
    report = _locked(report)
    if not can_reopen(report):
        raise ValidationError(
            _(
                "This report cannot be reopened: it was reopened already, has "
                "no answer yet, or the time to reopen it has passed."
            )
        )
    reason = _note(reason, required=True, what=_("Say what is still wrong."))
    before = audit.snapshot(report, REPORT_AUDIT_FIELDS)
    now = timezone.now()
    report.status = S.IN_PROGRESS if report.assignee_id else S.NEW
    report.reopen_count += 1
    report.reopened_at = now
    report.answered_at = None
    report.closed_at = None
    report.due_at = due_at(now, report.category)
    if report.rating is None:
        report.rating = Rating.UNSATISFIED
        report.rated_at = now
    report.save()
    event = _event(report, E.REOPENED, note=reason, actor=by, at=now)
    _audit(by, "feedback.reopened", report, before, audit.snapshot(report, REPORT_AUDIT_FIELDS))
    _tell_reporter(report, event)
    return report


def close_answered(now=None) -> int:
    """Closes the answered reports whose reopening window has passed; returns how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.EGOV_FEEDBACK_REOPEN_DAYS)
    closed = 0
    for pk in Report.objects.filter(status=S.ANSWERED, answered_at__lt=limit).values_list(
        "pk", flat=True
    )[:5000]:
        with transaction.atomic():
            report = (
                Report.objects.select_for_update(of=("self",))
                .select_related("category", "agency", "reporter")
                .filter(pk=pk, status=S.ANSWERED)
                .first()
            )
            if report is None:
                continue
            before = audit.snapshot(report, REPORT_AUDIT_FIELDS)
            report.status = S.CLOSED
            report.closed_at = now
            report.save(update_fields=["status", "closed_at", "updated_at"])
            event = _event(report, E.CLOSED, at=now)
            _audit("system", "feedback.closed", report, before, {"status": S.CLOSED, "auto": True})
            # Closing shuts the door to reopening: the reporter hears it like any other change.
            _tell_reporter(report, event)
            closed += 1
    return closed


# --- Administration -----------------------------------------------------------------------------

CATEGORY_AUDIT_FIELDS = [
    "code",
    "name",
    "routing",
    "agency_id",
    "deadline_days",
    "is_active",
    "group",
    "position",
]


@transaction.atomic
def save_category(category: Category, *, actor) -> Category:
    _require_admin(actor)
    category.full_clean()
    before = None
    if category.pk:
        old = Category.objects.select_for_update().get(pk=category.pk)
        before = audit.snapshot(old, CATEGORY_AUDIT_FIELDS)
        if old.code != category.code and old.reports.exists():
            raise ValidationError(
                {"code": _("Reports and client applications use this code: it cannot change.")}
            )
    category.save()
    audit.record(
        actor=actor,
        action="feedback.category_saved",
        obj=category,
        before=before,
        after=audit.snapshot(category, CATEGORY_AUDIT_FIELDS),
    )
    return category


QUESTION_FIELDS = ["datatype", "required", "description", "values", "position"]


def questions_of(category: Category) -> dict:
    """The category's questions as the audit trail keeps them, by code."""
    if category.pk is None:
        return {}
    return {
        question["code"]: {name: question[name] for name in QUESTION_FIELDS}
        for question in category.attributes.values("code", *QUESTION_FIELDS)
    }


def save_questions(formset, *, actor) -> None:
    """Saves the questions a form set of the category holds (the staff page's or the Django
    admin's inline), with the audit record of what changed."""
    _require_admin(actor)
    before = questions_of(formset.instance)
    formset.save()
    record_questions(formset.instance, actor=actor, before=before)


def record_questions(category: Category, *, actor, before: dict) -> None:
    """An audit record of a change of the category's questions (what the portal's form and
    the Open311 service definition ask), with the questions before and after; none when
    nothing changed."""
    _require_admin(actor)
    after = questions_of(category)
    if after == before:
        return
    audit.record(
        actor=actor,
        action="feedback.questions_saved",
        obj=category,
        before={"questions": before},
        after={"questions": after},
    )


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


KEY_PREFIX = "o311_"


@transaction.atomic
def issue_api_key(
    *, actor, name: str, contact_email: str, organisation: str = "", requests_per_minute: int = 60
) -> tuple[ApiClient, str]:
    """A new client application and its key, returned once (only its digest is kept)."""
    _require_admin(actor)
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    client = ApiClient(
        name=" ".join(name.split()),
        organisation=" ".join(organisation.split()),
        contact_email=contact_email.strip(),
        prefix=key[:12],
        digest=_digest(key),
        requests_per_minute=requests_per_minute,
        created_by=actor,
    )
    client.full_clean()
    client.save()
    audit.record(
        actor=actor,
        action="feedback.api_key_issued",
        obj=client,
        after={"name": client.name, "prefix": client.prefix, "rate": requests_per_minute},
    )
    return client, key


@transaction.atomic
def revoke_api_key(client: ApiClient, *, actor) -> ApiClient:
    _require_admin(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="feedback.api_key_revoked",
            obj=client,
            before={"revoked": False},
            after={"revoked": True},
        )
    return client


def client_for_key(key: str) -> ApiClient | None:
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    client = ApiClient.objects.filter(digest=_digest(key), revoked_at__isnull=True).first()
    if client is not None:
        now = timezone.now()
        # Written at most once a minute: a busy client does not lock its row on every call.
        if client.last_used_at is None or now - client.last_used_at > datetime.timedelta(minutes=1):
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


@transaction.atomic
def load_boundaries(features: list[dict], *, actor, source: str = "") -> int:
    """Commune boundaries from GeoJSON features whose ``code`` property is a commune's
    statistical code; all or nothing, every bad feature named."""
    errors = []
    rows = []
    units = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE
        ).order_by("code", "valid_from")
    }
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code = str(properties.get("code") or properties.get("ma") or "").strip()
        unit = units.get(code)
        if unit is None:
            errors.append(f"#{number}: no commune has the code {code!r}")
            continue
        try:
            south, west, north, east = geo.bounds_of(feature.get("geometry") or {})
        except Exception as exc:
            errors.append(f"#{number} ({code}): {exc}")
            continue
        rows.append((unit, feature["geometry"], (south, west, north, east)))
    if errors:
        raise ValidationError(errors)
    for unit, geometry, (south, west, north, east) in rows:
        CommuneBoundary.objects.update_or_create(
            unit=unit,
            defaults={
                "geometry": geometry,
                "min_latitude": south,
                "max_latitude": north,
                "min_longitude": west,
                "max_longitude": east,
                "source": source[:300],
            },
        )
    audit.record(
        actor=actor,
        action="feedback.boundaries_loaded",
        object_type="feedback.communeboundary",
        object_repr=source[:300],
        after={"communes": len(rows)},
    )
    return len(rows)
