"""Model fields shared by the apps."""

import json

from django.core.exceptions import EmptyResultSet
from django.db import models


def id_set(values) -> list[int]:
    return sorted({int(value) for value in values or ()})


class IdSetField(models.Field):
    """A set of row ids in one column, stored sorted: a bigint array on PostgreSQL (the ids'
    type), where a GIN index answers "has one of these ids" (the ``overlap`` lookup) without a
    join, and a JSON list elsewhere (SQLite reads it with json_each). Not a foreign key: nothing
    cascades.

    ``grows_with`` names foreign keys of the model whose ids join the set whenever the row is
    written by save() or bulk_create() (the field's pre_save); nothing is ever taken out."""

    description = "A set of integer ids"

    def __init__(self, *args, grows_with=(), **kwargs):
        self.grows_with = tuple(grows_with)
        kwargs.setdefault("default", list)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("editable") is False:
            del kwargs["editable"]
        if self.grows_with:
            kwargs["grows_with"] = list(self.grows_with)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        sources = (model_instance._meta.get_field(name).attname for name in self.grows_with)
        added = (getattr(model_instance, attname) for attname in sources)
        value = id_set([*getattr(model_instance, self.attname), *(i for i in added if i)])
        setattr(model_instance, self.attname, value)
        return value

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return []
        return json.loads(value) if isinstance(value, str) else list(value)

    def to_python(self, value):
        if isinstance(value, str):
            value = json.loads(value)
        return id_set(value)

    def get_prep_value(self, value):
        return id_set(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return value if connection.vendor == "postgresql" else json.dumps(value)


@IdSetField.register_lookup
class Overlap(models.Lookup):
    """The set holds at least one of the ids given."""

    lookup_name = "overlap"
    prepare_rhs = False

    def ids(self) -> list[int]:
        ids = id_set(self.rhs)
        if not ids:
            raise EmptyResultSet
        return ids

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        ids = self.ids()
        marks = ", ".join(["%s"] * len(ids))
        return (
            # lhs is the column Django quoted; the ids are parameters.
            f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value IN ({marks}))",  # noqa: S608
            (*params, *ids),
        )

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} && %s::bigint[]", (*params, self.ids())
