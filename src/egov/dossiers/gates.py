"""Conditions other apps place on a dossier moving on, without dossiers importing them.

A gate is a function ``gate(dossier, moment) -> str | None`` that returns a translated reason
when the dossier may not move on. Apps register theirs in ``AppConfig.ready`` (payments: a
procedure that asks for payment first is not received or processed until it is paid).

Moments: ``"receive"`` (the desk accepts it) and ``"advance"`` (a processing step hands it on).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError

Gate = Callable[[object, str], str | None]
_gates: list[Gate] = []


def register(gate: Gate) -> Gate:
    if gate not in _gates:
        _gates.append(gate)
    return gate


def check(dossier, moment: str) -> None:
    reasons = [reason for gate in _gates if (reason := gate(dossier, moment))]
    if reasons:
        raise ValidationError(reasons)
