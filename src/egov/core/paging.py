"""Pages of long lists whose exact length is not worth counting."""

from functools import cached_property

from django.core.paginator import Paginator

SEARCH_CAP = 1000


def page_rows(queryset, bottom: int, top: int) -> list:
    """Rows ``bottom:top`` of an ordered queryset, its ids first, then those rows with their
    related objects. In one query PostgreSQL joined every match of a work queue to its
    procedure version, step, agency and assignee before sorting them: it expects a handful of
    open dossiers in an agency's queue where a city has thousands (6,256 rows joined for a page
    of 50, 500 ms at 20 million dossiers). The ids come from the dossier's own columns in the
    queue's index order."""
    return rows_by_ids(queryset, list(queryset.values_list("pk", flat=True)[bottom:top]))


def rows_by_ids(queryset, ids: list) -> list:
    """The rows with these ids (found by ``queryset``), in their order, read by primary key
    alone with the queryset's related objects and columns; one deleted meanwhile is left out.
    The list's conditions are not asked again: given both, PostgreSQL scanned the tab's own
    index to read 25 rows (13 ms for a process tab at 20 million dossiers)."""
    rows = queryset.model._default_manager.filter(pk__in=ids)
    rows.query.select_related = queryset.query.select_related
    rows.query.deferred_loading = queryset.query.deferred_loading
    found = {row.pk: row for row in rows}
    return [found[pk] for pk in ids if pk in found]


class QueuePaginator(Paginator):
    """A work queue's pages, each read with :func:`page_rows`, counted up to ``cap`` + 1
    (``capped`` then tells that there are more): the database stops there. At 20 million
    dossiers the busiest agency has 6,000 at a specialist's step, and counting a tab read a heap
    block for each, the slowest part of the queue page."""

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or SEARCH_CAP

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(page_rows(self.object_list, bottom, top), number, self)


class CappedPaginator(QueuePaginator):
    """A search's pages, counting at most ``cap`` + 1 matches.

    Past the cap the user is asked to narrow the search instead of the database counting every
    match (a common surname matches a third of a city's dossiers: counting them all took ten
    times as long as finding the first page). Under the cap, one query reads the matches' ids
    and sort keys, which serves both the count and the page (sorted here), so that the search's
    index is scanned once rather than once for the count and once for the page.
    """

    @cached_property
    def _order(self) -> list[str]:
        return [*self.object_list.query.order_by] or ["pk"]

    @cached_property
    def _matches(self) -> list[tuple]:
        fields = ["pk", *(key.lstrip("-") for key in self._order)]
        return list(self.object_list.order_by().values_list(*fields)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return len(self._matches)

    def page(self, number):
        if self.capped:
            return super().page(number)  # the ordered query, with an offset
        number = self.validate_number(number)
        rows = list(self._matches)
        # Stable sorts from the last key to the first give the queryset's ordering (nulls last
        # going up, first going down, as PostgreSQL puts them).
        for position in range(len(self._order), 0, -1):
            rows.sort(
                key=lambda row, i=position: (row[i] is None, row[i]),
                reverse=self._order[position - 1].startswith("-"),
            )
        bottom = (number - 1) * self.per_page
        ids = [row[0] for row in rows[bottom : bottom + self.per_page]]
        return self._get_page(rows_by_ids(self.object_list, ids), number, self)
