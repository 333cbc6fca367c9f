"""Read-side questions about the organisation tree ("what stood on day D?")."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from egov.core.collation import sorted_vi
from egov.organizations.models import AdministrativeUnit


@dataclass
class UnitNode:
    unit: AdministrativeUnit
    children: list["UnitNode"] = field(default_factory=list)


def unit_as_of(code: str, day: datetime.date) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.as_of(day).filter(code=code).first()


def subtree_as_of(root: AdministrativeUnit, day: datetime.date) -> list[UnitNode]:
    """The units under ``root`` in force on ``day``, as a tree (two or three tiers), each tier
    in Vietnamese alphabetical order."""
    units = list(
        AdministrativeUnit.objects.as_of(day)
        .filter(Q(parent=root) | Q(parent__parent=root))
        .order_by("level", "code")
    )
    nodes = {unit.pk: UnitNode(unit) for unit in units}
    top: list[UnitNode] = []
    for unit in units:
        if unit.parent_id == root.pk:
            top.append(nodes[unit.pk])
        elif unit.parent_id in nodes:
            nodes[unit.parent_id].children.append(nodes[unit.pk])
    for node in nodes.values():
        node.children = sorted_vi(node.children, key=lambda child: child.unit.name)
    return sorted_vi(top, key=lambda node: node.unit.name)


def count_levels(tree: list[UnitNode]) -> dict[int, int]:
    counts = {2: 0, 3: 0}
    stack = list(tree)
    while stack:
        node = stack.pop()
        counts[node.unit.level] = counts.get(node.unit.level, 0) + 1
        stack.extend(node.children)
    return counts
