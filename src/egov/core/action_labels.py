"""Human names of audit actions (and of the actors that are not people), so that a person reading
the audit trail never sees a raw code.

An app registers the names of the actions it records (``register({...})`` in a module its
``AppConfig.ready`` imports); the trail shows the name, and the code beside it for searching.
An action nobody named shows its code.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, object] = {}
# Actors that are not a user account: the trail stores a fixed English word (egov.core.audit),
# shown by its name here.
_ACTORS: dict[str, object] = {"system": _("System (automatic)")}


def register(labels: Mapping[str, object]) -> None:
    _LABELS.update(labels)


def label(action: str):
    return _LABELS.get(action, action)


def is_named(action: str) -> bool:
    return action in _LABELS


def matching(text: str) -> list[str]:
    """The actions whose name (in the active language) contains ``text``: the trail's filter
    finds "tiếp nhận" as well as ``dossiers.received``."""
    wanted = text.casefold()
    return [action for action, name in _LABELS.items() if wanted in str(name).casefold()]


def register_actors(names: Mapping[str, object]) -> None:
    _ACTORS.update(names)


def actor(stored: str):
    """The name of the actor of an audit record: a user's name as stored, or a system's name."""
    return _ACTORS.get(stored, stored)
