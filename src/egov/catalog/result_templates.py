"""Result templates (mẫu kết quả): the official layout of a procedure's result, drawn as a PDF.

The body an editor writes is a small line markup, not a template language:

- ``# Title`` and ``## Heading`` lines, ``- item`` lists, ``| a | b |`` table rows,
  paragraphs separated by an empty line, ``**bold**`` inside any of them;
- placeholders ``{{ to_khai.<field> }}`` (an answer of the e-form, options by their label) and
  ``{{ ho_so.<key> }}`` (the dossier and the decision: code, applicant, decision number and date,
  signer, agency, validity), each checked against the version's own list when saved.

Why not Django's template language with a restricted context: even then a template can reach
attributes and methods of whatever objects it is given, load tag libraries, include other
templates and loop; a sandbox around it would have to be proved complete. Here there is nothing
to run: every character is escaped, a placeholder is a lookup in a dictionary of strings built
by the platform, and an unknown one is refused when the editor saves. The page around the body
(the Nghị định 30/2020 header, the signer's block) is a trusted template of the platform.
"""

import datetime
import html
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.catalog import eforms

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
KEY = re.compile(r"^(to_khai|ho_so)\.[a-z0-9_]+$")
TEMPLATE_CODE = re.compile(r"\{%|%\}|\{#|#\}")
BOLD = re.compile(r"\*\*(.+?)\*\*")
MAX_BODY = 20_000

# The dossier's and the decision's data a template may show, in the order the editor sees them.
DOSSIER_KEYS = {
    "ho_so.ma": gettext_lazy("Dossier code"),
    "ho_so.nguoi_nop": gettext_lazy("Applicant"),
    "ho_so.ngay_nop": gettext_lazy("Date the dossier was received"),
    "ho_so.thu_tuc": gettext_lazy("Name of the procedure"),
    "ho_so.so_quyet_dinh": gettext_lazy("Decision number"),
    "ho_so.ngay_quyet_dinh": gettext_lazy("Decision date"),
    "ho_so.nguoi_ky": gettext_lazy("Signer's name"),
    "ho_so.chuc_vu": gettext_lazy("Signer's title"),
    "ho_so.co_quan": gettext_lazy("Deciding agency"),
    "ho_so.hieu_luc_den": gettext_lazy("Valid until"),
}


def insertable(version) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(placeholder key, label)]) for the editor's list of fields to insert."""
    answers = [
        (f"to_khai.{name}", str(hints.get("label") or spec.get("title") or name))
        for name, spec, hints in eforms.ordered_fields(version.form_schema, version.form_ui)
    ]
    dossier = [(key, str(label)) for key, label in DOSSIER_KEYS.items()]
    return [(_("Answers of the e-form"), answers), (_("Dossier and decision"), dossier)]


def allowed_keys(version) -> set[str]:
    return {key for _group, keys in insertable(version) for key, _label in keys}


def check(body: str, version) -> None:
    """Refuses a body with template code or a placeholder the version does not offer, saying
    which; nothing in a body is ever run."""
    problems = []
    if len(body) > MAX_BODY:
        problems.append(
            _("The content is too long (at most %(max)d characters).") % {"max": MAX_BODY}
        )
    if TEMPLATE_CODE.search(body):
        problems.append(
            _(
                "Only placeholders {{ … }} from the list may be used; template tags and "
                "comments are not allowed."
            )
        )
    allowed = allowed_keys(version)
    unknown = []
    for match in PLACEHOLDER.finditer(body):
        key = match.group(1).strip()
        if not KEY.match(key) or key not in allowed:
            unknown.append(match.group(0))
    if unknown:
        problems.append(
            _("Unknown placeholders: %(names)s. Insert them from the list of fields.")
            % {"names": ", ".join(dict.fromkeys(unknown))}
        )
    if problems:
        raise ValidationError({"body": problems})


def _inline(text: str, values: dict[str, str]) -> str:
    """Escapes a line, bolds ``**…**``, then fills its placeholders (escaped too): an answer is
    always text, never markup or markup of this language."""
    found: list[str] = []

    def hold(match: re.Match) -> str:
        found.append(values.get(match.group(1).strip(), ""))
        return f"\x00{len(found) - 1}\x00"

    line = BOLD.sub(
        r"<strong>\1</strong>", html.escape(PLACEHOLDER.sub(hold, text.replace("\x00", "")))
    )
    return re.sub(
        r"\x00(\d+)\x00",
        lambda m: f'<span class="value">{html.escape(found[int(m.group(1))])}</span>',
        line,
    )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def body_html(body: str, values: dict[str, str]) -> str:
    """The body's markup as HTML: only h2, h3, p, br, ul/li, table/tr/td and strong come out."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()
        if rows:
            out.append(
                "<table>"
                + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
                + "</table>"
            )
            rows.clear()

    for raw in body.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        kind = (
            "blank"
            if not line
            else "h3"
            if line.startswith("## ")
            else "h2"
            if line.startswith("# ")
            else "row"
            if line.startswith("|")
            else "item"
            if line.startswith("- ")
            else "text"
        )
        if (kind != "text" and paragraph) or (kind != "item" and items):
            flush()
        if kind != "row" and rows:
            flush()
        if kind == "h2":
            out.append(f"<h2>{_inline(line[2:], values)}</h2>")
        elif kind == "h3":
            out.append(f"<h3>{_inline(line[3:], values)}</h3>")
        elif kind == "row":
            cells = _cells(line)
            if not all(set(c) <= {"-", ":", " "} and c for c in cells):
                rows.append([_inline(c, values) for c in cells])
        elif kind == "item":
            items.append(_inline(line[2:], values))
        elif kind == "text":
            paragraph.append(_inline(line, values))
    flush()
    return "\n".join(out)


def long_date(day: datetime.date) -> str:
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def _shown(spec: dict, value: Any) -> str:
    value = eforms.option_label(spec, value)
    if value is None:
        return ""
    if value is True:
        return "Có"
    if value is False:
        return "Không"
    if spec.get("format") == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def answer_values(version, data: dict[str, Any]) -> dict[str, str]:
    return {
        f"to_khai.{name}": _shown(spec, data.get(name))
        for name, spec, _hints in eforms.ordered_fields(version.form_schema, version.form_ui)
    }


def valid_until(template, day: datetime.date) -> datetime.date | None:
    if not template.validity_months:
        return None
    month = day.month - 1 + template.validity_months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    return None


def decision_values(
    template, *, code, applicant, received, agency, number, day, signer, procedure
) -> dict[str, str]:
    until = valid_until(template, day)
    return {
        "ho_so.ma": code,
        "ho_so.nguoi_nop": applicant,
        "ho_so.ngay_nop": received.strftime("%d/%m/%Y") if received else "",
        "ho_so.thu_tuc": procedure,
        "ho_so.so_quyet_dinh": number,
        "ho_so.ngay_quyet_dinh": day.strftime("%d/%m/%Y"),
        "ho_so.nguoi_ky": signer,
        "ho_so.chuc_vu": template.signer_title,
        "ho_so.co_quan": agency,
        "ho_so.hieu_luc_den": until.strftime("%d/%m/%Y") if until else "",
    }


def _sample(name: str, spec: dict, label: str) -> Any:
    kind = eforms.composite_kind(spec)
    if kind == "choices":
        return spec["items"].get("enum", [])[:1]
    if kind in ("address", "table"):
        return None
    if "enum" in spec:
        return spec["enum"][0] if spec["enum"] else None
    if spec.get("type") == "boolean":
        return True
    if spec.get("type") in ("integer", "number"):
        return max(spec.get("minimum", 1), 1)
    if spec.get("format") == "date":
        return "2026-01-15"
    return f"‹{label}›"


def sample_values(version, template) -> dict[str, str]:
    """What the preview shows: an answer of the right kind for every question, a made-up
    dossier and decision."""
    data = {
        name: _sample(name, spec, str(hints.get("label") or spec.get("title") or name))
        for name, spec, hints in eforms.ordered_fields(version.form_schema, version.form_ui)
    }
    agency = version.deciding_agency.name if version.deciding_agency_id else ""
    return answer_values(version, data) | decision_values(
        template,
        code="000.00.00.H00-260115-0001",
        applicant="Nguyễn Văn An",
        received=datetime.date(2026, 1, 15),
        agency=agency,
        number="123/QĐ-MẪU",
        day=timezone.localdate(),
        signer="Trần Thị Bình",
        procedure=version.name,
    )


STYLESHEET = Path(__file__).resolve().parent / "static" / "catalog" / "result_paper.css"


def paper_context(template, values: dict[str, str], *, agency_name: str, day) -> dict:
    return {
        "template": template,
        "agency_name": agency_name,
        "number": values.get("ho_so.so_quyet_dinh", ""),
        "place_date": f"{template.place}, {long_date(day)}",
        "body": body_html(template.body, values),
        "signer": values.get("ho_so.nguoi_ky", ""),
        "recipients": [r.strip() for r in template.recipients.splitlines() if r.strip()],
    }


def render_pdf(template, values: dict[str, str], *, agency_name: str, day: datetime.date) -> bytes:
    """The paper: the Nghị định 30/2020 header, the title, the body with ``values``, the
    signer's block. Always in Vietnamese: it is an administrative paper."""
    from weasyprint import CSS, HTML

    from egov.core import fonts

    with translation.override("vi"):
        page = render_to_string(
            "catalog/result_paper.html",
            paper_context(template, values, agency_name=agency_name, day=day),
        )
    options = fonts.pdf_options()
    options["stylesheets"] = [
        *options.get("stylesheets", []),
        CSS(filename=str(STYLESHEET), font_config=options.get("font_config")),
    ]
    return HTML(string=page).write_pdf(**options)


def _sample_context(version, template) -> tuple[dict[str, str], str]:
    agency = version.deciding_agency.name if version.deciding_agency_id else ""
    return sample_values(version, template), agency or _("NAME OF THE AGENCY")


def preview_context(version, template) -> dict:
    """What the designer's page shows beside the editor: the paper with sample answers."""
    values, agency = _sample_context(version, template)
    return paper_context(template, values, agency_name=agency, day=timezone.localdate())


def preview_pdf(version, template) -> bytes:
    values, agency = _sample_context(version, template)
    return render_pdf(template, values, agency_name=agency, day=timezone.localdate())
