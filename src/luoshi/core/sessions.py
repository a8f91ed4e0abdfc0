"""Sessions kept in the database exactly as Django's own store keeps them (``SESSION_ENGINE``),
read on each request with a hand-written statement: the same condition as Django's (the key, not
yet expired), without building and compiling a queryset for it on every page. Writing, creating,
deleting and clearing expired sessions are Django's."""

import functools

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone
from django.utils.module_loading import import_string

from .rows import get_one


_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@functools.cache
def _successor(backends: tuple[str, ...]) -> str | None:
    """The configured backend that took over from Django's ModelBackend (a subclass of it), if any."""
    return next((path for path in backends if issubclass(import_string(path), ModelBackend)), None)


class SessionStore(db.SessionStore):
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
        key = self.session_key
        if key is not None:
            using = router.db_for_read(self.model)
            connection = connections[using]
            key_column, expiry_column = (connection.ops.quote_name(self.model._meta.get_field(f).column) for f in ("session_key", "expire_date"))
            found = get_one(
                self.model,
                f"{key_column} = %s AND {expiry_column} > %s",
                [key, connection.ops.adapt_datetimefield_value(timezone.now())],
                using,
            )
            if found is not None:
                return found
        self._session_key = None
        return None
