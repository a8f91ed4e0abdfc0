import functools

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

from luoshi.core.rows import columns, from_row
from luoshi.orgs.models import Unit, User
from luoshi.orgs.sessions import figure_read_with_session

from .models import Notification


def unread_of(connection, person: str, params: tuple = ()) -> tuple[str, list]:
    """The count of the unread notifications of ``person`` (SQL giving a person's id, with its
    ``params``) as ``NotificationQuerySet.unread`` defines them: read with the session on every page,
    and by the header itself when it was not."""
    query = Notification.objects.filter(recipient_id=RawSQL(person, params)).unread().query
    where, where_params = query.get_compiler(connection=connection).compile(query.where)
    return f"SELECT COUNT(*) FROM {connection.ops.quote_name(Notification._meta.db_table)} WHERE {where}", list(where_params)


_ANYONE = -1


@functools.cache
def _unread_of_one(vendor: str) -> tuple[str, tuple]:
    """:func:`unread_of` one person, compiled once per process (the header does not pay the ORM on
    every page); the person's id is a placeholder whose value is ``_ANYONE``, replaced per request."""
    sql, params = unread_of(connection, "%s", (_ANYONE,))
    return sql, tuple(params)


class Header:
    """What the header shows beside the navigation: the person's unit and their unread count. Lazy:
    pages that do not show the header (JSON, files) never read them. Both are usually read with the
    session (``orgs.sessions``); else with one statement, or the count alone when the page has
    already loaded the unit."""

    def __init__(self, user, request=None):
        self.user, self.request = user, request

    @cached_property
    def _figures(self) -> tuple[str, int]:
        # The session store has usually read the unit and the count with the person. Else they are
        # read by hand (the ORM takes longer to build these reads than the database takes to answer
        # them, and every page pays for them), and the unit is kept on the person, as reading
        # ``user.unit`` would have kept it, so the page's own uses of it cost nothing more.
        user = self.user
        unit_known = user.unit_id is None or User.unit.is_cached(user)
        if unit_known and self.request is not None:
            unread = figure_read_with_session(self.request, "unread")
            if unread is not None:
                return (user.unit.display_name if user.unit_id else ""), unread
        q = connection.ops.quote_name
        count, params = _unread_of_one(connection.vendor)
        params = [user.pk if p == _ANYONE else p for p in params]
        with connection.cursor() as cursor:
            if unit_known:
                cursor.execute(count, params)
                (unread,) = cursor.fetchone()
                return (user.unit.display_name if user.unit_id else ""), unread
            cursor.execute(
                f"SELECT {columns(Unit, connection)}, ({count}) FROM {q(Unit._meta.db_table)} WHERE {q(Unit._meta.pk.column)} = %s",
                [*params, user.unit_id],
            )
            *values, unread = cursor.fetchone()
        unit = from_row(Unit, values, connection)
        User.unit.field.set_cached_value(user, unit)
        return unit.display_name, unread

    @property
    def unit_name(self) -> str:
        return self._figures[0]

    @property
    def unread(self) -> int:
        return self._figures[1]


def inbox(request):
    """The header's unit and unread count (`Header`), for signed-in people."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"header": Header(user, request)}
