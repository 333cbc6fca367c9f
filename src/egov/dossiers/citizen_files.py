"""Which of a dossier's files its applicant may download."""

from egov.dossiers.models import Attachment, Dossier


def downloadable(dossier: Dossier):
    """Everything attached to the dossier (the applicant's papers, the receipt and the forms
    issued to them), and the result once it was returned: before that it may still be unsigned
    or waiting at the desk."""
    files = dossier.attachments.select_related("requirement")
    if dossier.status != Dossier.Status.RETURNED:
        files = files.exclude(kind=Attachment.Kind.RESULT)
    return files
