"""Signing in with a username and password, as Django's ``ModelBackend`` does, with the person taken
from the session just read (``orgs.sessions``), or else read by a statement compiled once.

``ModelBackend.get_user`` builds and compiles ``User.objects.get(pk=…)`` for every request a
signed-in person makes: about a third of a millisecond of CPU, more than the database takes to
answer it, on every page. Everything else (passwords, permissions, who may sign in) is Django's."""

from django.contrib.auth.backends import ModelBackend

from luoshi.core.rows import Prepared, attnames, objects

from .models import User
from .sessions import user_read_with_session

_COLUMNS = attnames(User)
_PERSON = Prepared(lambda pk: User._default_manager.filter(pk=pk).values(*_COLUMNS))


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = user_read_with_session(user_id)
        if user is not None:
            return user if self.user_can_authenticate(user) else None
        try:
            found = objects(User, _PERSON.rows(int(user_id), using=User._default_manager.db))
        except (TypeError, ValueError, OverflowError):
            return None
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None
