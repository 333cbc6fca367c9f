"""The digitisation app's domain events."""

from django.dispatch import Signal

# dossier=<Dossier>: papers of this dossier joined the store, or one of its papers was taken
# from it (the statistics' facts of the QĐ 766 index follow). Sent before the change's audit
# record, like the dossiers' ``dossier_changed``: the record takes its chain head's lock.
papers_changed = Signal()
