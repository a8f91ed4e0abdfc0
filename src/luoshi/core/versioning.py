"""The one version-checked update. Two people who open the same form both read version n; the first
save moves the row to n + 1, so the second one's UPDATE matches no row and is refused with
`Conflict` instead of silently overwriting the first.

Rows without a version column (a supervision action, an escalation proposal) are claimed the same
way on their status: `where={"status": "pending"}` with `bump=False`."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model

from .errors import Conflict


def update_checked(
    instance: Model,
    *,
    conflict: str,
    expected_version: int | None = None,
    where: dict[str, Any] | None = None,
    bump: bool = True,
    **fields,
) -> None:
    """Write `fields` to `instance`'s row in one conditional UPDATE, only if the row still has
    `expected_version` (default: the version `instance` was read at) and matches `where`; the
    version goes up by one. No matching row raises `Conflict(conflict)` and changes nothing.
    `instance` is reloaded from the database afterwards."""
    conditions = {"pk": instance.pk, **(where or {})}
    if bump:
        conditions["version"] = instance.version if expected_version is None else expected_version
        fields["version"] = F("version") + 1
    if not type(instance)._default_manager.filter(**conditions).update(**fields):
        raise Conflict(conflict)
    instance.refresh_from_db()
