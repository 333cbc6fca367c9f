"""Which of a dossier's files its applicant may download."""

from egov.dossiers.models import Attachment, Dossier

CLOSED = {Dossier.Status.RETURNED, Dossier.Status.REFUSED}


def downloadable(dossier: Dossier):
    """Everything attached to the dossier (the applicant's papers, the receipt and the forms
    issued to them), and the result once the dossier is closed: returned, or refused during
    processing (the refusal notice is its result). Before that a result may still be replaced,
    signed or waiting at the desk."""
    files = dossier.attachments.select_related("requirement")
    if dossier.status not in CLOSED:
        files = files.exclude(kind=Attachment.Kind.RESULT)
    return files
