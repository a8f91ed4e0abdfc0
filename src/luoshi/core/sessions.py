"""Sessions kept in the database exactly as Django's own store keeps them (``SESSION_ENGINE``),
read on each request with a hand-written statement: the same condition as Django's (the key, not
yet expired), without building and compiling a queryset for it on every page. Writing, creating,
deleting and clearing expired sessions are Django's."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .rows import get_one


class SessionStore(db.SessionStore):
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
