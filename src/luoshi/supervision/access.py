"""Who may read and answer supervision's objects. An action (督办) is addressed to one unit: that
unit's people (and those of its parent units) read and answer it; leaders read the actions
addressed to units they oversee; supervisors everything. Escalation proposals are the office's
own working papers: supervisors only. Everyone reads their own inbox and nobody else's. The read
rules are the `visible_to` querysets in models."""

from __future__ import annotations

from luoshi.orgs.access import get_object_for_user, is_supervisor, signed_in, visible_unit_ids

from .models import EscalationProposal, Notification, ReviewItem, ReviewRound, SupervisionAction


def may_reply_action(user, action) -> bool:
    """The liaisons of the addressed unit (or of a unit above it) answer; nobody else."""
    if not signed_in(user) or user.role != "liaison" or not user.unit_id:
        return False
    ids = visible_unit_ids(user)
    return ids is not None and action.unit_id in ids


def may_confirm_review_item(user, item) -> bool:
    if not signed_in(user) or user.role != "liaison" or not user.unit_id:
        return False
    ids = visible_unit_ids(user)
    return ids is not None and item.unit_id in ids


def get_action_for_user(user, pk, write: bool = False) -> SupervisionAction:
    """An action the user may see (404); write=True: one they may answer or (supervisors) close."""
    return get_object_for_user(
        SupervisionAction.objects.select_related("unit", "issued_by", "replied_by", "closed_by"),
        user,
        pk,
        write=write,
        may_write=lambda u, a: is_supervisor(u) or may_reply_action(u, a),
    )


def get_proposal_for_user(user, pk, write: bool = False) -> EscalationProposal:
    return get_object_for_user(
        EscalationProposal.objects.select_related("unit"), user, pk, write=write, may_write=lambda u, p: is_supervisor(u)
    )


def get_notification_for_user(user, pk, write: bool = False) -> Notification:
    return get_object_for_user(
        Notification.objects.select_related("message"), user, pk, write=write, may_write=lambda u, n: n.recipient_id == u.pk
    )


def get_review_round_for_user(user, pk, write: bool = False) -> ReviewRound:
    return get_object_for_user(ReviewRound.objects.all(), user, pk, write=write, may_write=lambda u, r: is_supervisor(u))


def get_review_item_for_user(user, pk, write: bool = False) -> ReviewItem:
    return get_object_for_user(
        ReviewItem.objects.select_related("round", "task", "unit"), user, pk, write=write, may_write=may_confirm_review_item
    )


def scoreboard_unit_ids(user) -> frozenset[int] | None:
    """The scoreboard rows a user reads (ranks are always computed over every unit): supervisors and
    leaders who see all units every row; others the units in their scope."""
    if is_supervisor(user):
        return None
    return visible_unit_ids(user)
