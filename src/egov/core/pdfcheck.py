"""PDFs that would run something when a member of staff opens them are refused.

An uploaded PDF is opened with pikepdf (qpdf) and every object is read: JavaScript (a /JS entry,
a /JavaScript name tree or action), actions that launch programs or import data, embedded or
attached files, rich media and XFA forms are active content. Such a file is refused with a message
that says how to make a plain one, rather than stored as a cleaned copy: a cleaned copy would no
longer carry the citizen's or an agency's digital signature, and the desk would receive a
different paper from the one that was sent. A PDF that cannot be read is refused too (fail
closed: what cannot be inspected is not accepted).
"""

import io

import pikepdf

ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/Rendition", "/GoToE", "/RichMediaExecute"}
KEYS = {
    "/JS": "JavaScript",
    "/AA": "automatic actions",
    "/EmbeddedFiles": "embedded files",
    "/XFA": "an XFA form",
    "/RichMediaContent": "rich media",
}
TYPES = {"/EmbeddedFile": "embedded files", "/Filespec": "attached files"}
SUBTYPES = {
    "/FileAttachment": "attached files",
    "/RichMedia": "rich media",
    "/Movie": "rich media",
    "/Sound": "rich media",
    "/Screen": "rich media",
}


class UnreadablePdf(Exception):
    pass


def _dictionaries(obj):
    """The dictionaries of an indirect object, its direct (nested) ones included; indirect
    references are not followed, every indirect object being visited on its own."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            yield item
            children = item.values()
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
            and not child.is_indirect
        )


def _inspect(dictionary, found: set[str]) -> None:
    keys = set(dictionary.keys())
    found.update(label for key, label in KEYS.items() if key in keys)
    kind = dictionary.get("/Type")
    if kind is not None and str(kind) in TYPES and (str(kind) == "/EmbeddedFile" or "/EF" in keys):
        found.add(TYPES[str(kind)])
    subtype = dictionary.get("/Subtype")
    if subtype is not None and str(subtype) in SUBTYPES:
        found.add(SUBTYPES[str(subtype)])
    action = dictionary.get("/S")
    if action is not None and str(action) in ACTIONS:
        found.add("JavaScript" if str(action) == "/JavaScript" else "actions")


def active_content(data: bytes) -> list[str]:
    """What a PDF carries that can act on the reader's computer (empty: nothing)."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise UnreadablePdf("encrypted") from exc
    except pikepdf.PdfError as exc:
        raise UnreadablePdf(str(exc)) from exc
    found: set[str] = set()
    with pdf:
        for obj in pdf.objects:
            for dictionary in _dictionaries(obj):
                _inspect(dictionary, found)
        names = pdf.Root.get("/Names")
        if names is not None and "/JavaScript" in names:
            found.add("JavaScript")
    return sorted(found)
