"""Who may read and change directives and their decomposition rows. Directives are the office's
working material: supervisors and admins see all of them, leaders the published ones, unit
liaisons none (they see each task's source sentence on the task itself). Only supervisors change
them. The read rule is `Directive.objects.visible_to` (in models)."""

from __future__ import annotations

from luoshi.orgs.access import get_object_for_user, is_supervisor

from .models import DecompositionItem, Directive


def may_manage_directives(user) -> bool:
    return is_supervisor(user)


def may_see_directive(user, directive_id) -> bool:
    if directive_id is None:
        return False
    return Directive.objects.visible_to(user).filter(pk=directive_id).exists()


def get_directive_for_user(user, pk, write: bool = False) -> Directive:
    return get_object_for_user(Directive.objects.all(), user, pk, write=write, may_write=lambda u, o: may_manage_directives(u))


def get_decomposition_item_for_user(user, directive, pk, write: bool = False) -> DecompositionItem:
    """A draft row of a 任务分解表 is seen by whoever may see its directive."""
    return get_object_for_user(
        DecompositionItem.objects.filter(directive=directive).select_related("directive", "lead_unit", "lead_leader", "task"),
        user,
        pk,
        write=write,
        may_write=lambda u, o: may_manage_directives(u),
    )
