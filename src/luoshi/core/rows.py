"""Rows read without building and compiling a queryset on every request, as the ORM would give them.

For the reads every request makes (the session, the header's unit): building and compiling a
queryset costs the process several times what the database takes to answer it. What comes back is
the same object ``Model.objects.get`` returns: every concrete column, through the database's and
the field's converters (SQLite answers a boolean as 0 or 1, PostgreSQL a JSON column as text).
`Prepared` keeps what the ORM compiled for a read of a fixed shape and runs it again."""

from __future__ import annotations

import datetime as dt
import weakref

from django.db import connections
from django.db.models import Count, Model, Value, signals
from django.db.models.base import ModelState


def converted(field, value, connection):
    """A column's value as the ORM would give it."""
    column = field.get_col(field.model._meta.db_table)
    for convert in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = convert(value, column, connection)
    return value


def attnames(model: type[Model]) -> tuple[str, ...]:
    """Every concrete column of ``model``, by attname, in the order ``Model.from_db`` takes them."""
    return tuple(f.attname for f in model._meta.concrete_fields)


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


#: Where :func:`sees_every` keeps its answers on the person, per model (dropped with the scopes
#: ``orgs.models.forget`` drops).
SEES_EVERY_ATTR = "_luoshi_sees_every"


def sees_every(queryset, user) -> bool:
    """Whether ``queryset.visible_to(user)`` leaves the queryset as it is: the person sees every row,
    so a read compiled once for everybody (``Prepared``) is theirs too, and the rule stays in one place.

    The answer depends on the person and the model, not on the queryset (``visible_to`` returns the
    queryset itself or narrows it), so it is kept on the person for the request: for everyone
    else ``visible_to`` builds its filter, which a page asking three times paid three times."""
    answers = getattr(user, SEES_EVERY_ATTR, None)
    if answers is not None and queryset.model in answers:
        return answers[queryset.model]
    answer = queryset.visible_to(user) is queryset
    if answers is None:
        try:
            setattr(user, SEES_EVERY_ATTR, answers := {})
        except AttributeError:  # an actor that keeps nothing (no __dict__)
            return answer
    answers[queryset.model] = answer
    return answer


def any_of(column: str, values, connection) -> tuple[str, list]:
    """SQL that ``column`` is one of ``values``, with its parameters: one array on PostgreSQL, a
    placeholder a value elsewhere. Two hundred ids through the ORM's ``__in`` cost more CPU (each id
    prepared, then bound as a parameter of its own) than the database takes to answer."""
    values = list(values)
    if not values:
        return "1 = 0", []
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _kind(param) -> tuple | None:
    """How a compiled parameter may be a marker: an integer, a date or the text of either."""
    if isinstance(param, bool):
        return None
    if isinstance(param, int):
        return ("int", param)
    if isinstance(param, str):
        return ("text", param)
    if isinstance(param, dt.date) and not isinstance(param, dt.datetime):
        return ("date", param)
    return None


def _in_field_order(model: type[Model], keys: list[str], prefix: str = "") -> tuple[list[str], list[str]]:
    """``keys`` (``pk`` or attnames after ``prefix``) and their attnames, in the order of the
    model's concrete fields, which is the order ``Model.from_db`` takes a part of the values in."""
    pk = model._meta.pk.attname
    named = {pk if key[len(prefix) :] == "pk" else key[len(prefix) :]: key for key in keys}
    order = [f.attname for f in model._meta.concrete_fields if f.attname in named]
    if len(order) != len(named):
        raise ValueError(f"not columns of {model.__name__}: {sorted(set(named) - set(order))}")
    return [named[attname] for attname in order], order


def _loader(model: type[Model], names: list[str], using: str):
    """``values → model.from_db(using, names, values)`` for some of the model's columns (``names``
    in field order). ``Model.__init__`` walks every field to skip the deferred ones, which for a
    list of two hundred tasks of forty fields cost more than reading them; when nothing listens for
    the model's init signals, the object is given its columns and state as ``__init__`` would have
    left them."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return lambda values: model.from_db(using, names, values)

    def load(values):
        obj = model.__new__(model)
        obj.__dict__.update(zip(names, values))
        state = obj._state = ModelState()
        state.adding, state.db = False, using
        return obj

    return load


def objects(model: type[Model], rows: list[dict], *, related: tuple[str, ...] = (), using: str = "default") -> list[Model]:
    """Objects of ``model`` from ``.values()`` rows of some of its columns (``pk`` or attnames) and
    of the columns of the objects it points to (``lead_unit__name``, with ``lead_unit_id`` among
    the columns), as ``.only()`` with ``select_related`` would load them: a column not read is
    deferred, and reading it asks the database, as for any deferred field. Rows pointing to the same
    object share it, as ``prefetch_related`` gives it (a page's hundred tasks name a few directives
    and a few dozen units: each was built once per row)."""
    if not rows:
        return []
    own, names = _in_field_order(model, [key for key in rows[0] if "__" not in key])
    load = _loader(model, names, using)
    links = []
    for name in related:
        field = model._meta.get_field(name)
        keys = [key for key in rows[0] if key.startswith(name + "__")]
        keys, target_names = _in_field_order(field.related_model, keys, prefix=name + "__")
        links.append((field, field.attname, _loader(field.related_model, target_names, using), keys))
    found = []
    built: list[dict] = [{} for _link in links]
    for row in rows:
        obj = load([row[key] for key in own])
        for (field, attname, load_linked, keys), seen in zip(links, built):
            target = row[attname]
            if target is not None:
                linked = seen.get(target)
                if linked is None:
                    linked = seen[target] = load_linked([row[key] for key in keys])
                target = linked
            field.set_cached_value(obj, target)
        found.append(obj)
    return found


def whole_objects(queryset) -> list[Model]:
    """The queryset's objects with every concrete column, the same as ``list(queryset)`` gives
    (without its ``select_related``), built as :func:`objects` builds them: for the sweep's hundred
    thousand tasks ``Model.__init__`` cost more than reading them."""
    model = queryset.model
    names = list(attnames(model))
    load = _loader(model, names, queryset.db)
    return [load(row) for row in queryset.values_list(*names)]


def count_of(queryset):
    """``queryset`` as one row, ``{"total": its count}``, for a :class:`Prepared` read: what
    ``queryset.count()`` asks, written as a ``.values()`` read."""
    return queryset.order_by().annotate(_luoshi_all=Value(1)).values("_luoshi_all").annotate(total=Count("*")).values("total")


class Prepared:
    """A ``.values()`` read whose shape never changes, only its values (a task's id): built and
    compiled by the ORM once per process and database, then run as the statement it compiled to,
    with the same converters, giving the same dicts. ``build(*markers)`` returns the queryset with
    the markers (distinct integers no row has) where the values go; each call's values replace
    them in the compiled parameters. A marker compared with a text column is compiled as its
    digits, and replaced all the same (so a value may be text). The parameters named in ``dates``
    take dates: their markers are days of the year 1, and each value is adapted as the database
    adapts a date (SQLite takes it as text)."""

    MARKERS = tuple(-7_730_000_001 - i for i in range(16))
    DATE_MARKERS = tuple(dt.date(1, 1, 2 + i) for i in range(16))

    def __init__(self, build, *, dates: tuple[str, ...] = ()):
        self.build = build
        names = build.__code__.co_varnames[: self._arity()]
        unknown = set(dates) - set(names)
        if unknown:
            raise ValueError(f"not parameters of the read: {sorted(unknown)}")
        self._is_date = tuple(name in dates for name in names)
        # Per connection object (one per thread and database): the compiler keeps its connection.
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _compile(self, using: str) -> tuple:
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            markers = [d if is_date else m for m, d, is_date in zip(self.MARKERS, self.DATE_MARKERS, self._is_date)]
            queryset = self.build(*markers)
            query = queryset.query
            compiler = query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            converters = compiler.get_converters([column for column, _sql, _alias in compiler.select[: compiler.col_count]])
            where: dict = {}
            for i, m in enumerate(markers):
                if isinstance(m, dt.date):
                    where[("date", m)] = where[("text", connection.ops.adapt_datefield_value(m))] = i
                else:
                    where[("int", m)] = where[("text", str(m))] = i
            slots = [where.get(_kind(p)) for p in params]
            compiled = self._compiled[connection] = (sql, tuple(params), tuple(slots), names, compiler, converters)
        return compiled

    def _arity(self) -> int:
        return self.build.__code__.co_argcount

    def _adapt(self, value, compiled, slot: int, connection):
        if self._is_date[slot] and not isinstance(compiled, dt.date):
            return connection.ops.adapt_datefield_value(value)
        return value

    def rows(self, *values, using: str = "default") -> list[dict]:
        sql, params, slots, names, compiler, converters = self._compile(using)
        connection = connections[using]
        params = [p if slot is None else self._adapt(values[slot], p, slot, connection) for p, slot in zip(params, slots)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if converters:
            found = compiler.apply_converters(found, converters)
        return [dict(zip(names, row)) for row in found]
