"""Sessions in the database, read with the person they sign in (``SESSION_ENGINE``, and the
authentication middleware that uses what was read).

Django's database store reads the session, then its authentication backend reads the person, then
the header reads the person's unit: three statements before a page does anything of its own. Here
the session row carries the person's id (``Session.user``, kept from the session's data whenever it
is saved through the store), and one hand-written statement reads the session, the person, their
unit and the figures apps above register (``read_alongside``: the header's unread count). Django's
own ``auth.get_user`` still decides who is signed in (the backend named in the session, the check
of the session's hash against the person's password); the backend only takes the person from the
session just read instead of asking the database again. A session whose column is empty (carried
over from Django's table, or saved by a path that does not fill it, such as Django's asynchronous
``asave``) or names someone else falls back to the backend's own read.

Writing, creating, deleting and clearing expired sessions are Django's."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

from luoshi.core.rows import from_row

from .models import Session, Unit, User

_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@functools.cache
def _successor(backends: tuple[str, ...]) -> str | None:
    """The configured backend that took over from Django's ModelBackend (a subclass of it), if any."""
    return next((path for path in backends if issubclass(import_string(path), ModelBackend)), None)


_MODELS = (Session, User, Unit)


# Figures about the person that every page shows and apps above this one define (the header's
# unread count), read with the session instead of by a statement of their own: name → build(connection,
# person) giving the SQL of a scalar sub-query and its parameters, ``person`` being the SQL of the
# person's id in the statement.
_ALONGSIDE: dict[str, Callable] = {}


def read_alongside(name: str, build: Callable) -> None:
    """Read the figure ``name`` with every session (see :func:`figure_read_with_session`)."""
    _ALONGSIDE[name] = build
    _read_statement.cache_clear()


@functools.cache
def _read_statement(vendor: str, alias: str) -> tuple[str, tuple, tuple[str, ...]]:
    """The session (unexpired, by key), its person, the person's unit and the figures read
    alongside, in one row; the figures' parameters (the key's and the expiry's follow); their names."""
    connection = connections[alias]
    q = connection.ops.quote_name
    listed = ", ".join(
        f"{letter}.{q(f.column)}" for letter, model in zip("sun", _MODELS, strict=True) for f in model._meta.concrete_fields
    )
    pk = q(User._meta.pk.column)
    names, params = tuple(_ALONGSIDE), []
    for name in names:
        sql, figure_params = _ALONGSIDE[name](connection, f"u.{pk}")
        listed += f", ({sql})"
        params += figure_params
    return (
        f"SELECT {listed} FROM {q(Session._meta.db_table)} s "
        f"LEFT JOIN {q(User._meta.db_table)} u ON u.{pk} = s.{q(Session.user.field.column)} "
        f"LEFT JOIN {q(Unit._meta.db_table)} n ON n.{q(Unit._meta.pk.column)} = u.{q(User.unit.field.column)} "
        f"WHERE s.{q(Session._meta.pk.column)} = %s AND s.{q(Session._meta.get_field('expire_date').column)} > %s",
        tuple(params), names,
    )


def _split(row):
    """The row's values for the session, the person and the unit, in that order."""
    out, start = [], 0
    for model in _MODELS:
        width = len(model._meta.concrete_fields)
        out.append(row[start:start + width])
        start += width
    return out


class SessionStore(db.SessionStore):
    #: The person the session names, read with it (None: not read, or nobody).
    preloaded_user: User | None = None
    #: The figures read alongside (``read_alongside``), when the person was.
    preloaded_figures: dict = {}

    @classmethod
    def get_model_class(cls):
        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = User._meta.pk.to_python(data[SESSION_KEY])
        except (KeyError, ValidationError):
            instance.user_id = None
        return instance

    def load(self):
        data = super().load()
        # Someone who signed in while Django's ModelBackend was the backend stays signed in under
        # the subclass that replaced it, instead of being signed out by the change.
        if data.get(BACKEND_SESSION_KEY) == _MODEL_BACKEND and _MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS:
            successor = _successor(tuple(settings.AUTHENTICATION_BACKENDS))
            if successor:
                data[BACKEND_SESSION_KEY] = successor
        return data

    def _get_session_from_db(self):
        self.preloaded_user, self.preloaded_figures = None, {}
        key = self.session_key
        if key is not None:
            using = router.db_for_read(Session)
            connection = connections[using]
            sql, params, names = _read_statement(connection.vendor, using)
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, key, connection.ops.adapt_datetimefield_value(timezone.now())])
                row = cursor.fetchone()
            if row is not None:
                session_values, user_values, unit_values = _split(row)
                session = from_row(Session, session_values, connection)
                if session.user_id is not None and user_values[0] is not None:
                    user = from_row(User, user_values, connection)
                    unit = from_row(Unit, unit_values, connection) if user.unit_id is not None else None
                    User.unit.field.set_cached_value(user, unit)
                    self.preloaded_user = user
                    self.preloaded_figures = dict(zip(names, row[len(row) - len(names):]))
                return session
        self._session_key = None
        return None


def delete_expired(*, dry_run: bool = False) -> int:
    """Delete the sessions past their expiry, as Django's ``clearsessions`` does (the daily sweep);
    how many there were."""
    expired = Session.objects.filter(expire_date__lt=timezone.now())
    return expired.count() if dry_run else expired.delete()[0]


# The session whose person ``auth.get_user`` is reading, for the backend to take the person from:
# set only for the length of that call, so no other request can ever see it.
_READING: contextvars.ContextVar[SessionStore | None] = contextvars.ContextVar("luoshi_session_reading", default=None)


def user_read_with_session(user_id) -> User | None:
    """The person the session being read named, if it is ``user_id`` (as the backend is asked)."""
    session = _READING.get()
    user = getattr(session, "preloaded_user", None)
    if user is None:
        return None
    try:
        return user if user.pk == User._meta.pk.to_python(user_id) else None
    except ValidationError:
        return None


def figure_read_with_session(request, name: str):
    """The figure ``name`` (``read_alongside``) of the person signed in, as read with the session;
    None when it was not, or when the request may write (a POST may change it before its page is
    written, as marking a notification read changes the unread count)."""
    if request.method not in ("GET", "HEAD"):
        return None
    session = getattr(request, "session", None)
    user = getattr(session, "preloaded_user", None)
    if user is None or getattr(request.user, "pk", None) != user.pk:
        return None
    return session.preloaded_figures.get(name)


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        token = _READING.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _READING.reset(token)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with the person read by ``auth.get_user`` while the session just read is at hand."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))
