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

import copy
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
        self._converters: dict[tuple[int, ...], Any] = {}
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
        compiler = copy.copy(self.compiler)  # a template's compiler serves every call
        rows = self.rows(text)
        compiler.execute_sql = lambda *args, **kwargs: iter([rows])  # type: ignore[method-assign]
        compiler.get_converters = self._converters_of  # type: ignore[method-assign]
        query = self.queryset.query.clone()
        query.get_compiler = types.MethodType(  # type: ignore[method-assign]
            lambda _self, using=None, connection=None, elide_empty=True: compiler, query
        )
        clone = self.queryset._chain()  # type: ignore[attr-defined]  # Django's own clone
        iterable = clone._iterable_class
        clone.query = query  # (the setter resets a values() queryset's iterable: kept as it was)
        clone._iterable_class = iterable
        return list(clone)

    def _converters_of(self, expressions: Any) -> Any:
        """Django's converters of the compiled columns, worked out once per template (they were a
        fifth of a composer batch's Python time): the compiler's expressions are the same
        objects on every call."""
        key = tuple(map(id, expressions))
        found = self._converters.get(key)
        if found is None:
            found = self._converters[key] = self.compiler.get_converters(expressions)
        return found


def _statement(combined: list[_Prepared]) -> tuple[str, list[Any]]:
    parts = []
    params: list[Any] = []
    for p in combined:
        names = ", ".join(f"c{i}" for i in range(len(p.converters)))
        parts.append(f"(SELECT coalesce(json_agg(t), '[]')::text FROM ({p.sql}) AS t({names}))")  # noqa: S608 compiled by Django
        params.extend(p.params)
    return "SELECT " + ", ".join(parts), params


def _run(connection: Any, sql: str, params: list[Any]) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())


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
        row = _run(connection, *_statement(combined))
        texts = {id(p): text for p, text in zip(combined, row, strict=True)}
    return [p.evaluate(texts[id(p)]) if id(p) in texts else list(p.queryset) for p in prepared]


def _sentinel(number: int, real: Any, variant: int) -> Any:
    """Stands for a parameter of a ``BatchTemplate`` while its SQL is compiled: an int or a date
    that no constant of the querysets uses, within every integer field's range (Django turns an
    out-of-range lookup into an empty result); two variants, neither on a month's or year's edge."""
    if isinstance(real, datetime.date):
        return datetime.date(1000 + 100 * variant + number, 3 + 5 * variant, 17)
    return 32000 + 400 * variant + number


def _as(kind: type, value: Any) -> Any:
    """``value`` in the parameter type the compiled SQL had (psycopg's Int4 for a small int)."""
    return kind(value) if issubclass(kind, int) and kind is not int else value


def _probe(value: Any) -> tuple[str, Any]:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return ("date", value)
    if isinstance(value, int) and not isinstance(value, bool):
        return ("int", int(value))  # also psycopg's Int2/Int4/Int8 wrappers
    return ("other", id(value))


class BatchTemplate:
    """``fetch_together`` for querysets whose SQL differs between calls only in the values of
    some parameters (ids, dates), with Django's query building and compiling done once per
    process and shape instead of on every call. ``build(**params)`` returns the querysets;
    ``fetch(shape, **values)`` runs them with ``values`` (ints or dates; ``build`` must use them
    only as query values, never compute others from them in Python). The first call of a
    shape builds them with sentinels, compiles them, and records which parameter of the SQL is
    which value; a shape whose SQL does not carry every value as a parameter, or that cannot be
    combined, is never cached (each call then builds and fetches as ``fetch_together``)."""

    def __init__(self, build: Any) -> None:
        self.build = build
        self._templates: dict[Any, Any] = {}

    def fetch(self, shape: Any, **values: Any) -> list[list[Any]]:
        connection = connections["default"]
        if connection.vendor != "postgresql":
            return [list(qs) for qs in self.build(shape, **values)]
        template = self._template(shape, values)
        if template is False:
            return fetch_together(*self.build(shape, **values))
        return self._run_template(connection, template, values)

    def fetch_cached(self, shape: Any, **values: Any) -> list[list[Any]] | None:
        """``fetch``, or None when ``shape`` cannot be compiled once (or not on this database):
        the caller then takes its usual path instead of paying for a combined statement."""
        connection = connections["default"]
        if connection.vendor != "postgresql":
            return None
        template = self._template(shape, values)
        return None if template is False else self._run_template(connection, template, values)

    def _template(self, shape: Any, values: dict[str, Any]) -> Any:
        """The compiled template of ``shape`` (compiled on its first call), or False."""
        template = self._templates.get(shape)
        if template is None:
            template = self._templates[shape] = self._compile(shape, values)
        return template

    @staticmethod
    def _run_template(connection: Any, template: Any, values: dict[str, Any]) -> list[list[Any]]:
        sql, slots, prepared = template
        params = [slot[0] if len(slot) == 1 else _as(slot[1], values[slot[0]]) for slot in slots]
        row = _run(connection, sql, params)
        return [p.evaluate(text) for p, text in zip(prepared, row, strict=True)]

    def _compile(self, shape: Any, values: dict[str, Any]) -> Any:
        """(sql, slots, prepared) or False. Compiled twice with different sentinels: the SQL must
        be the same, and every parameter either the same constant in both or the same value's
        sentinel in both; a parameter derived from a value in Python (say a year's first day)
        differs between the two without being a sentinel, and the shape is not cached."""
        compiled = []
        for variant in (0, 1):
            arguments = {name: _sentinel(i, real, variant) for i, (name, real) in enumerate(values.items())}
            probes = {_probe(value): name for name, value in arguments.items()}
            prepared = [_Prepared(qs) for qs in self.build(shape, **arguments)]
            if not prepared or any(p.sql is None for p in prepared):
                return False
            sql, params = _statement(prepared)
            compiled.append((sql, params, probes, prepared))
        (sql, params, probes, prepared), (sql_b, params_b, probes_b, _prepared_b) = compiled
        if sql != sql_b or len(params) != len(params_b):
            return False
        slots: list[tuple[Any, ...]] = []
        for param, param_b in zip(params, params_b, strict=True):
            name, name_b = probes.get(_probe(param)), probes_b.get(_probe(param_b))
            if name is not None and name == name_b:
                slots.append((name, type(param)))  # e.g. psycopg's Int4 wrapper
            elif name is None and name_b is None and param == param_b:
                slots.append((param,))  # a constant
            else:
                return False
        if {slot[0] for slot in slots if len(slot) == 2} != set(values):
            return False  # a value did not end up as a parameter: not safe to reuse the SQL
        return sql, slots, prepared
