"""Vietnamese number formats: Django's, plus grouping by thousands, which Django's Vietnamese
formats leave out (so 1234567 printed without its dots even where grouping was asked for).
Grouping still applies only where it is asked (``number_format(..., force_grouping=True)``, the
statistics' ``number`` filter): USE_THOUSAND_SEPARATOR stays off, so that ids and years in forms
and links are never written as 1.234."""

from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
