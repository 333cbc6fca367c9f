"""Paper types: how a paper in the store is matched with what a procedure asks for.

A requirement's type is its catalogue code (the national procedure database's paper code) when
it has one, so that the same paper asked for by many procedures matches; without a code, the
requirement's name, accent-free, stands for it (the same name in two procedures is the same
paper). A result's type is ``kq-`` and its procedure's code: a procedure that needs another's
result (a birth certificate extract) names it by giving its requirement that code.
"""

import hashlib

from egov.catalog.models import DocumentRequirement, Procedure
from egov.core.text import normalize_search_text

MAX = 60


def of_requirement(requirement: DocumentRequirement) -> str:
    if requirement.code:
        return requirement.code[:MAX]
    name = normalize_search_text(requirement.name)
    return "ten-" + hashlib.sha256(name.encode()).hexdigest()[:32]


def of_result(procedure: Procedure) -> str:
    return ("kq-" + procedure.code.replace(".", "-").lower())[:MAX]
