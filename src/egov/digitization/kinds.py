"""Paper types: how a paper in the store is matched with what a procedure asks for.

A requirement's type is its catalogue code: the national procedure database's paper code where
the catalogue gives one, else the accent-free slug of its name that the catalogue makes
(``catalog.content.requirement_code``), so the same paper asked for by many procedures matches.
A result's type is ``kq-`` and its procedure's code: a procedure that needs another's result (a
birth certificate extract) names it by giving its requirement that code.
"""

from egov.catalog.content import requirement_code
from egov.catalog.models import DocumentRequirement, Procedure

MAX = 60


def of_requirement(requirement: DocumentRequirement) -> str:
    return (requirement.code or of_name(requirement.name))[:MAX]


def of_name(name: str) -> str:
    """The type of a paper known only by its name (accents and case do not matter)."""
    return requirement_code(name, set())


def of_result(procedure: Procedure) -> str:
    return ("kq-" + procedure.code.replace(".", "-").lower())[:MAX]
