from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def staffing_table(report, section, number: int):
    """One section of the staffing report as a table. Written here rather than in the template
    language: a city-wide report has some 500 agencies × 40 columns, which the template engine
    renders ten times slower (docs/personnel.md, benchmark)."""
    labels = [escape(str(column.label)) for column in section.columns]
    keys = [column.key for column in section.columns]
    agency = escape(_("Agency"))
    head = "".join(f'<th scope="col" class="number">{label}</th>' for label in labels)
    lines = [
        format_html('<table class="stack-on-phone numbers" aria-labelledby="section-{}">', number),
        f'<thead><tr><th scope="col">{agency}</th>{head}</tr></thead><tbody>',
    ]
    # Each column's two possible cell openings, made once rather than once per cell.
    openings = [
        (
            f'<td data-label="{label}" class="number">',
            f'<td data-label="{label}" class="number negative">',
        )
        for label in labels
    ]
    for row in [*report.rows, report.total]:
        name = escape(row.agency.name) if row.agency else escape(_("Total"))
        values = row.values
        cells = []
        for (plain, negative), key in zip(openings, keys, strict=True):
            value = values.get(key)
            if value is None:
                cells.append(f"{plain}—</td>")
            else:
                cells.append(f"{negative if value < 0 else plain}{value}</td>")
        total = "" if row.agency else ' class="total"'
        lines.append(f'<tr{total}><th scope="row">{name}</th>{"".join(cells)}</tr>')
    if not report.rows:
        empty = escape(_("Nobody in service in these agencies."))
        lines.insert(2, f'<tr><td colspan="{len(keys) + 1}">{empty}</td></tr>')
    lines.append("</tbody></table>")
    return mark_safe("".join(lines))  # noqa: S308 - every text above is escaped
