"""Django form fields for the e-form's composite shapes: a table of rows and an address.

Each renders as plain inputs with their own labels, so the form works without JavaScript and a
screen reader names every cell; the server validates the combined value against the schema.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class TableWidget(forms.MultiWidget):
    template_name = "catalog/widgets/table.html"

    def __init__(self, columns: list[tuple[str, str]], rows: int):
        self.columns, self.rows = columns, rows
        super().__init__([forms.TextInput() for _ in range(rows * len(columns))])

    def decompress(self, value):
        cells: list[Any] = []
        rows = value if isinstance(value, list) else []
        for index in range(self.rows):
            row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
            cells.extend(row.get(name, "") for name, _title in self.columns)
        return cells

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        cells = context["widget"]["subwidgets"]
        width = len(self.columns)
        context["columns"] = [title for _name, title in self.columns]
        context["table_rows"] = [
            [
                (cells[row * width + column], self.columns[column][1], row + 1)
                for column in range(width)
            ]
            for row in range(self.rows)
        ]
        return context


class TableField(forms.MultiValueField):
    """Rows of text columns; empty rows are dropped."""

    def __init__(self, columns: list[tuple[str, str]], rows: int, **kwargs):
        self.columns = columns
        fields = [
            forms.CharField(max_length=200, required=False) for _ in range(rows * len(columns))
        ]
        super().__init__(
            fields, widget=TableWidget(columns, rows), require_all_fields=False, **kwargs
        )

    def compress(self, data_list):
        width = len(self.columns)
        rows = []
        for start in range(0, len(data_list), width):
            cells = data_list[start : start + width]
            if any(cells):
                rows.append(
                    {
                        name: cell
                        for (name, _t), cell in zip(self.columns, cells, strict=False)
                        if cell
                    }
                )
        return rows


class AddressWidget(forms.MultiWidget):
    template_name = "catalog/widgets/address.html"

    def __init__(self, units: list[tuple[str, str]]):
        super().__init__(
            [
                forms.Select(choices=[("", _("Choose…")), *units]),
                forms.TextInput(attrs={"autocomplete": "street-address"}),
            ]
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("unit", ""), value.get("street", "")]
        return ["", ""]


class AddressField(forms.MultiValueField):
    """A commune or ward in force today and the house number and street."""

    def __init__(self, units: list[tuple[str, str]], **kwargs):
        fields = [
            forms.ChoiceField(choices=units, required=False),
            forms.CharField(max_length=200, required=False),
        ]
        super().__init__(fields, widget=AddressWidget(units), require_all_fields=False, **kwargs)

    def compress(self, data_list):
        unit, street = [*list(data_list), "", ""][:2]
        if not unit and not street:
            return None
        if not unit or not street:
            raise forms.ValidationError(
                _("Give both the commune or ward and the house number and street.")
            )
        return {"unit": unit, "street": street}
