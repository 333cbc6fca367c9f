"""Numbers and notations (số, ký hiệu) of Nghị định 30/2020/NĐ-CP, Phụ lục I.

- A document's number is its place in the register's calendar year, from 01 (numbers below 10
  take a leading zero), without gaps or repeats: it is taken under the row lock of the
  register's sequence, in the issuing transaction, so a rolled-back issue gives its number back.
- The notation of a typed document is the type's abbreviation and the issuer's:
  ``15/QĐ-UBND``; of a letter (công văn), the issuer's and the drafting unit's: ``120/UBND-VP``;
  of a legal normative document, the year too: ``15/2026/QĐ-UBND``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from egov.documents.kinds import DocumentType
from egov.documents.models import AgencyProfile, DocumentRegister, RegisterSequence


def next_number(register: DocumentRegister, year: int) -> int:
    """The next number of ``register`` in ``year``; must run inside the issuing transaction."""
    sequence, _created = RegisterSequence.objects.select_for_update().get_or_create(
        register=register, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def profile_of(agency) -> AgencyProfile:
    profile = AgencyProfile.objects.filter(agency=agency).first()
    if profile is None or not profile.abbreviation:
        raise ValidationError(
            _(
                "%(agency)s has no abbreviation for its notations yet: the clerk sets it on the "
                "registers page before the first document is issued."
            )
            % {"agency": agency.name}
        )
    return profile


def notation(document, register: DocumentRegister) -> str:
    """The part after the number: ``QĐ-UBND``, ``UBND-VP`` or, with the year, ``2026/QĐ-UBND``."""
    issuer = register.issuer_abbreviation or profile_of(document.agency).abbreviation
    if document.document_type == DocumentType.LETTER:
        unit = ""
        if document.drafting_unit_id:
            unit_profile = AgencyProfile.objects.filter(agency=document.drafting_unit).first()
            unit = unit_profile.abbreviation if unit_profile else ""
        return f"{issuer}-{unit}" if unit else issuer
    text = f"{document.document_type}-{issuer}"
    if register.kind == DocumentRegister.Kind.LEGAL_NORMATIVE:
        return f"{document.year}/{text}"
    return text


def reference(number: int, notation_text: str) -> str:
    return f"{number:02d}/{notation_text}"


def register_for(document) -> DocumentRegister:
    """The outgoing register that numbers ``document``: the legal normative register for a
    legal normative document, else one that names its type, else the general one."""
    registers = list(
        DocumentRegister.objects.filter(
            agency=document.agency,
            direction=DocumentRegister.Direction.OUTGOING,
            is_active=True,
        ).order_by("id")
    )
    if document.legal_normative:
        for register in registers:
            if register.kind == DocumentRegister.Kind.LEGAL_NORMATIVE:
                return register
        raise ValidationError(
            _(
                "A legal normative document is numbered in its own register, and this agency "
                "has none: the clerk adds one on the registers page."
            )
        )
    candidates = [r for r in registers if r.kind != DocumentRegister.Kind.LEGAL_NORMATIVE]
    for register in candidates:
        if document.document_type in (register.document_types or []):
            return register
    for register in candidates:
        if register.kind == DocumentRegister.Kind.ADMINISTRATIVE and not register.document_types:
            return register
    raise ValidationError(
        _("This agency has no outgoing register in use: the clerk adds one on the registers page.")
    )


def incoming_register_of(agency) -> DocumentRegister:
    register = (
        DocumentRegister.objects.filter(
            agency=agency, direction=DocumentRegister.Direction.INCOMING, is_active=True
        )
        .order_by("id")
        .first()
    )
    if register is None:
        raise ValidationError(
            _(
                "%(agency)s has no incoming register in use: the clerk adds one on the registers "
                "page."
            )
            % {"agency": agency.name}
        )
    return register
