"""Set-based inserts for PostgreSQL: many rows in one ``INSERT … SELECT FROM unnest(…)``.

``bulk_create`` turns every value of every row into a prepared parameter and builds a model
object for each row first; for the sweep's tens of thousands of messages that costs more than the
database's own work. Here each varying column travels as one array parameter and each constant
as one scalar, and the database returns the rows it inserted, so a batch sender learns which of
its keys were free without a second query.

The arrays travel in PostgreSQL's binary format, apart from the SQL (`array_cursor`): Django's
cursors bind on the client, which writes every array into the statement as a quoted literal — in
Python, one regular-expression escape per quote or backslash of every element — and the server
then parses it back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from django.db import connection, models
from django.utils import timezone


def supported() -> bool:
    return connection.vendor == "postgresql"


def array_cursor():
    """A cursor on the default connection (its transaction, its query log and error wrapping) that
    binds parameters on the server: a ``%b`` placeholder then sends a list as a binary array,
    which neither side has to escape or parse. Plain ``%s`` parameters work as usual."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def insert_rows(
    model,
    columns: Mapping[str, Sequence],
    constants: Mapping[str, object] | None = None,
    *,
    skip_conflicts_on: str | None = None,
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert one row per position of the lists in ``columns`` (attname → values) with the
    ``constants`` (attname → value) in every row; other fields take their model default (``now``
    for ``auto_now``/``auto_now_add``). With ``skip_conflicts_on`` (a unique column), rows whose
    value is taken are skipped — waiting, like any INSERT, for a concurrent transaction holding it
    to finish. Returns the ``returning`` columns of the inserted rows."""
    constants = dict(constants or {})
    lengths = {len(v) for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError("insert_rows: columns of different lengths")
    if not lengths.pop():
        return []
    q = connection.ops.quote_name
    now = timezone.now()
    names, selects, params = [], [], []
    arrays, array_params = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in columns:
            continue
        db_type = field.db_type(connection)  # a foreign key answers with its target's type
        names.append(q(field.column))
        if field.attname in columns:
            arrays.append(f"%b::{db_type}[]")
            values = list(columns[field.attname])
            if isinstance(field, models.JSONField):
                # Sent as text and cast: psycopg has no array adapter for dicts.
                values = [json.dumps(value, cls=field.encoder, ensure_ascii=False) for value in values]
            array_params.append(values)
            selects.append(f"x.c{len(arrays)}")
        else:
            if field.attname in constants:
                value = constants[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            selects.append(f"%s::{db_type}")
            params.append(field.get_db_prep_save(value, connection))
    aliases = ", ".join(f"c{i + 1}" for i in range(len(arrays)))
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(names)}) "
        f"SELECT {', '.join(selects)} FROM unnest({', '.join(arrays)}) AS x({aliases})"
    )
    if skip_conflicts_on:
        sql += f" ON CONFLICT ({q(model._meta.get_field(skip_conflicts_on).column)}) DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(q(model._meta.get_field(name).column) for name in returning)
    with array_cursor() as cursor:
        cursor.execute(sql, params + array_params)
        return cursor.fetchall() if returning else []


def analyze(*models_) -> None:
    """Refresh the planner's statistics of tables that have just grown by a large batch.

    Autovacuum analyses a table a minute or more after it changed; until then the planner works
    from the counts it had, which after a first sweep's tens of thousands of inserts means
    choosing plans for a nearly empty table: the deliveries' status index scanned whole for every
    batch of a few hundred rows, a cost that grows with the table and is paid once per batch."""
    if not supported():
        return
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(q(model._meta.db_table) for model in models_))
