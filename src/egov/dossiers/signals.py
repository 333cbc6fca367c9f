"""Domain events the dossier services send inside their transactions.

Other apps (notifications, later payments and reports) subscribe instead of being called, so the
dossiers app does not depend on them. Receivers run in the sender's transaction.
"""

from django.dispatch import Signal

# Each is sent with dossier=<Dossier>; extra keyword arguments are listed beside it.
dossier_received = Signal()  # receipt=<Attachment>
supplement_requested = Signal()  # request=<SupplementRequest>
dossier_refused = Signal()  # reason=<str>
dossier_submitted = Signal()  # sent when a citizen's draft or a counter intake gets its code
dossier_step_changed = Signal()  # step=<DossierStep> (the one just opened), previous=<DossierStep>
result_issued = Signal()  # result=<Attachment>
result_returned = Signal()  # channel=<Channel value>
apology_issued = Signal()  # letter=<ApologyLetter>
dossier_withdrawn = Signal()  # reason=<str>
# Sent after every recorded change of a dossier (any status or date), with action=<audit action>.
dossier_changed = Signal()
consultation_requested = Signal()  # consultation=<Consultation>: an agency's opinion asked
deadline_near = Signal()  # recipients=<list of User>: the deciding agency's leaders
