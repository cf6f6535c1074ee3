"""Several querysets in one round trip (issue 16): ``fetch_together(qs1, qs2, ...)`` evaluates
each queryset exactly as Django would (its SQL, its filters, tenant scope and row-level
security, its ``select_related``, its converters and model instances), but sends them to
PostgreSQL as one statement, each as a JSON array of its rows::

    SELECT (SELECT coalesce(json_agg(t), '[]')::text FROM (<qs1>) AS t(c0, c1, ...)), (...)

The hot paths use it for the small, independent lookups of one request (the budget's inputs of
the composer), where the round trips and not the rows were the cost. A queryset with a column
type this module does not convert from JSON (e.g. an interval) is evaluated on its own, so
the answer is always what ``list(queryset)`` gives. On other databases every queryset is
evaluated on its own."""

from __future__ import annotations

import datetime
import json
import types
import uuid
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_CONVERT = {
    "DateField": datetime.date.fromisoformat,
    "DateTimeField": datetime.datetime.fromisoformat,
    "TimeField": datetime.time.fromisoformat,
    "DecimalField": lambda value: value if isinstance(value, Decimal) else Decimal(str(value)),
    "FloatField": float,
    "BinaryField": lambda value: bytes.fromhex(value[2:]),  # bytea as JSON: "\\x0a1b..."
    "JSONField": json.dumps,  # the field's from_db_value decodes the text, as from psycopg
    "UUIDField": uuid.UUID,
}
# Types JSON carries as they come from psycopg (strings, whole numbers, booleans).
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "ForeignKey",
        "OneToOneField",
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "BooleanField",
        "GenericIPAddressField",
    }
)
_ARRAY_OF = frozenset({"CharField", "TextField", "IntegerField", "BigIntegerField", "SmallIntegerField"})


def _converter(field: Any) -> Any:
    """How a JSON value of ``field`` becomes what psycopg returns; None when unsupported."""
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return _same
    if kind == "ArrayField":
        return _same if field.base_field.get_internal_type() in _ARRAY_OF else None
    return _CONVERT.get(kind)


def _same(value: Any) -> Any:
    return value


class _Prepared:
    """One queryset compiled for the combined statement."""

    def __init__(self, queryset: QuerySet) -> None:
        check = getattr(queryset, "_check_scope", None)
        if check is not None:
            check()  # the tenant guard of TenantQuerySet, before any SQL is sent
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            self.sql, self.params = self.compiler.as_sql()
        except Exception:  # e.g. EmptyResultSet of .none(): evaluated on its own
            self.sql = None
            return
        columns = self.compiler.select[: self.compiler.col_count]
        converters = [_converter(expression.output_field) for expression, _sql, _alias in columns]
        self.converters = converters
        if any(converter is None for converter in converters) or not columns:
            self.sql = None

    def rows(self, text: str) -> list[tuple[Any, ...]]:
        converters = self.converters
        names = [f"c{i}" for i in range(len(converters))]
        return [
            tuple(
                None if obj[name] is None else convert(obj[name])
                for name, convert in zip(names, converters, strict=True)
            )
            for obj in json.loads(text, parse_float=Decimal)
        ]

    def evaluate(self, text: str) -> list[Any]:
        """The queryset's result, built by Django from the rows in ``text``."""
        compiler = self.compiler
        rows = self.rows(text)
        compiler.execute_sql = lambda *args, **kwargs: iter([rows])  # type: ignore[method-assign]
        query = self.queryset.query.clone()
        query.get_compiler = types.MethodType(  # type: ignore[method-assign]
            lambda _self, using=None, connection=None, elide_empty=True: compiler, query
        )
        clone = self.queryset._chain()  # type: ignore[attr-defined]  # Django's own clone
        clone.query = query
        return list(clone)


def fetch_together(*querysets: QuerySet) -> list[list[Any]]:
    """``[list(qs) for qs in querysets]`` in one round trip (see the module docstring)."""
    if not querysets:
        return []
    connection = connections[querysets[0].db]
    if connection.vendor != "postgresql" or any(qs.db != querysets[0].db for qs in querysets):
        return [list(qs) for qs in querysets]
    prepared = [_Prepared(qs) for qs in querysets]
    combined = [p for p in prepared if p.sql is not None]
    texts: dict[int, str] = {}
    if combined:
        parts = []
        params: list[Any] = []
        for p in combined:
            names = ", ".join(f"c{i}" for i in range(len(p.converters)))
            parts.append(f"(SELECT coalesce(json_agg(t), '[]')::text FROM ({p.sql}) AS t({names}))")  # noqa: S608 compiled by Django
            params.extend(p.params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        texts = {id(p): text for p, text in zip(combined, row, strict=True)}
    return [p.evaluate(texts[id(p)]) if id(p) in texts else list(p.queryset) for p in prepared]
