"""Rows read without building and compiling a queryset on every request, as the ORM would give them.

For the reads every request makes (the session, the header's unit): building and compiling a
queryset costs the process several times what the database takes to answer it. What comes back is
the same object ``Model.objects.get`` returns: every concrete column, through the database's and
the field's converters (SQLite answers a boolean as 0 or 1, PostgreSQL a JSON column as text).
`Prepared` keeps what the ORM compiled for a read of a fixed shape and runs it again."""

from __future__ import annotations

import weakref

from django.db import connections
from django.db.models import Model


def converted(field, value, connection):
    """A column's value as the ORM would give it."""
    column = field.get_col(field.model._meta.db_table)
    for convert in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = convert(value, column, connection)
    return value


def columns(model: type[Model], connection) -> str:
    """The model's concrete columns, quoted, in the order ``from_row`` expects them."""
    return ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)


def from_row(model: type[Model], values, connection) -> Model:
    """An object of ``model`` from its concrete columns' values (``columns``), as the ORM loads it."""
    fields = model._meta.concrete_fields
    return model.from_db(
        connection.alias, [f.attname for f in fields], [converted(f, v, connection) for f, v in zip(fields, values, strict=True)]
    )


def get_one(model: type[Model], where: str, params, using: str) -> Model | None:
    """The one object of ``model`` whose row meets ``where`` (SQL with ``%s`` placeholders for
    ``params``, already adapted for the database), or None."""
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns(model, connection)} FROM {table} WHERE {where}", params)
        row = cursor.fetchone()
    return None if row is None else from_row(model, row, connection)


class Prepared:
    """A ``.values()`` read whose shape never changes, only its values (a task's id): built and
    compiled by the ORM once per process and database, then run as the statement it compiled to,
    with the same converters, giving the same dicts. ``build(*markers)`` returns the queryset with
    the markers (distinct integers no row has) where the values go; each call's values replace
    them in the compiled parameters. A marker compared with a text column is compiled as its
    digits, and replaced all the same (so a value may be text)."""

    MARKERS = tuple(-7_730_000_001 - i for i in range(8))

    def __init__(self, build):
        self.build = build
        # Per connection object (one per thread and database): the compiler keeps its connection.
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _compile(self, using: str) -> tuple:
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            queryset = self.build(*self.MARKERS[: self._arity()])
            query = queryset.query
            compiler = query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            converters = compiler.get_converters([column for column, _sql, _alias in compiler.select[: compiler.col_count]])
            where = {m: i for i, m in enumerate(self.MARKERS)} | {str(m): i for i, m in enumerate(self.MARKERS)}
            slots = [where.get(p) if isinstance(p, (int, str)) and not isinstance(p, bool) else None for p in params]
            compiled = self._compiled[connection] = (sql, tuple(params), tuple(slots), names, compiler, converters)
        return compiled

    def _arity(self) -> int:
        return self.build.__code__.co_argcount

    def rows(self, *values, using: str = "default") -> list[dict]:
        sql, params, slots, names, compiler, converters = self._compile(using)
        params = [p if slot is None else values[slot] for p, slot in zip(params, slots)]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if converters:
            found = compiler.apply_converters(found, converters)
        return [dict(zip(names, row)) for row in found]
