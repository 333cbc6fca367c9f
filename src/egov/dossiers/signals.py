"""Domain events the dossier services send inside their transactions.

Other apps (notifications, later payments and reports) subscribe instead of being called, so the
dossiers app does not depend on them. Receivers run in the sender's transaction.
"""

from django.dispatch import Signal

# Each is sent with dossier=<Dossier>; extra keyword arguments are listed beside it.
dossier_received = Signal()  # receipt=<Attachment>
supplement_requested = Signal()  # request=<SupplementRequest>
dossier_refused = Signal()  # reason=<str>
