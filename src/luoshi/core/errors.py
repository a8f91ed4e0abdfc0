"""The one error family of luoshi's services. A service refuses a change by raising one of these
with a message for the user, already in their language; pages map them in one place
(`luoshi.core.middleware.LuoshiErrorMiddleware`) and the JSON API in one exception handler
(`luoshi.api.urls`), so a refusal reads and answers the same everywhere."""

from __future__ import annotations


class LuoshiError(Exception):
    """A change that cannot be made. `status` is the HTTP status that pages and the API answer."""

    status = 400

    def __init__(self, message: str = "", problems=()):
        super().__init__(message)
        #: Further lines for the user (the rows that stopped a publish, say).
        self.problems = list(problems)

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return self.message


class Invalid(LuoshiError):
    """The input is wrong (a missing field, a date before the start, a bad file)."""

    status = 400


class Forbidden(LuoshiError):
    """The actor may see the object but not make this change."""

    status = 403


class Conflict(LuoshiError):
    """The object changed since the actor read it (a stale version) or the change was made already."""

    status = 409


class Unavailable(LuoshiError):
    """The server cannot do it now, through no fault of the input (the upload store is full)."""

    status = 503
