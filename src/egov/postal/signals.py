"""Domain events of the postal app, sent inside the transaction that makes the change."""

from django.dispatch import Signal

# Sent with shipment=<Shipment> when the post is asked to pick up a dossier's papers or to
# deliver its result (the statistics count dossiers that came and went by post).
shipment_requested = Signal()
