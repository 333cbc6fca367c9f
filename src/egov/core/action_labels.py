"""Human names of audit actions, so that a person reading the audit trail never sees a raw code.

An app registers the names of the actions it records (``register({...})`` in a module its
``AppConfig.ready`` imports); the trail shows the name, and the code beside it for searching.
An action nobody named shows its code.
"""

from collections.abc import Mapping

_LABELS: dict[str, object] = {}


def register(labels: Mapping[str, object]) -> None:
    _LABELS.update(labels)


def label(action: str):
    return _LABELS.get(action, action)


def is_named(action: str) -> bool:
    return action in _LABELS
