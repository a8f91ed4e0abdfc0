"""Who may read and change the office's bulletins (督查通报) and the dashboard. A bulletin is the
office's document: supervisors draft, edit and issue it; once issued it is read by every leader
and unit (it names units that lag), while drafts stay inside the office. The read rule is
`Bulletin.objects.visible_to` (in models)."""

from __future__ import annotations

from luoshi.orgs.access import get_object_for_user, is_supervisor

from .models import Bulletin


def may_draft_bulletins(user) -> bool:
    return is_supervisor(user)


def get_bulletin_for_user(user, pk, write: bool = False) -> Bulletin:
    """A bulletin the user may read (404 otherwise); with write=True one they may edit or issue:
    supervisors only, and only while it is a draft (403 otherwise)."""
    return get_object_for_user(
        Bulletin.objects.all(), user, pk, write=write, may_write=lambda u, b: may_draft_bulletins(u) and b.status == "draft"
    )


