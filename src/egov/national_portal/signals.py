"""The national portal connector's domain events."""

from django.dispatch import Signal

# dossier_id=<int>: the portal acknowledged this dossier's record (DongBoHoSoMC) for the first
# time; the statistics count the dossier as synchronised (QĐ 766, 1.4). Sent in the transaction
# that marks the call acknowledged, after the call's row is saved.
record_acknowledged = Signal()
