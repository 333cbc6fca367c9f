"""Pages of long lists whose exact length is not worth counting."""

from functools import cached_property

from django.core.paginator import Paginator

SEARCH_CAP = 1000


class CappedPaginator(Paginator):
    """A search's pages, counting at most ``cap`` + 1 matches.

    Past the cap the user is asked to narrow the search instead of the database counting every
    match (a common surname matches a third of a city's dossiers: counting them all took ten
    times as long as finding the first page). Under the cap, one query reads the matches' ids
    and sort keys, which serves both the count and the page (sorted here), so that the search's
    index is scanned once rather than once for the count and once for the page.
    """

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or SEARCH_CAP

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

    @property
    def capped(self) -> bool:
        return self.count > self.cap

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
        found = {item.pk: item for item in self.object_list.filter(pk__in=ids)}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)
