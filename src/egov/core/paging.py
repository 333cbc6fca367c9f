"""Pages of long lists whose exact length is not worth counting."""

from functools import cached_property

from django.core.paginator import Paginator

SEARCH_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows. A search past that asks to be narrowed instead of having
    the database count every match: a common surname matches a third of a city's dossiers, and
    counting them all took ten times as long as finding the first page."""

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or SEARCH_CAP

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
