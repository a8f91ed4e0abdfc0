"""The one state-machine helper: a status field moves only along the rows of a table
{(from_state, action): (to_state, roles[, reason_required])}, in the manner of django-oscar's order
pipeline. Each app keeps its table beside its states (the task workflow, the 督办 ladder, a
directive's status, a bulletin's draft → issued) and its own refusal messages; the mechanics — look
the row up, check the actor's roles and the reason, list what to offer — are written once here.

Pure: no models, no database. The caller works out which roles the actor holds for the object and
records the move in its own history (a task's transitions, an action's events)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Transition:
    """One row of a table: the record of a permitted move."""

    source: str
    target: str
    action: str
    roles: frozenset[str]
    reason_required: bool = False
    #: What the button says (the action's label, often lazy); not part of the row's identity.
    label: object = field(default="", compare=False)

    def permits(self, actor_roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(actor_roles)


class TransitionRefused(ValueError):
    """The action is not in the table for this state. Apps subclass it for their wording."""

    def __init__(self, source: str, action: str):
        self.source = source
        self.action = action
        super().__init__(source, action)


class NotPermitted(TransitionRefused):
    """The row exists but none of the actor's roles may make it."""


class ReasonMissing(TransitionRefused):
    """The row requires a reason and none (or only whitespace) was given."""


def _roles(actor_roles: Iterable[str]) -> frozenset[str]:
    if isinstance(actor_roles, str):  # 'supervisor' would otherwise become {'s', 'u', ...}
        raise TypeError("actor_roles must be a collection of role names, not a string")
    return frozenset(actor_roles)


class StateMachine:
    """A table of moves. `labels` names the actions for buttons. `refused`, `not_permitted` and `reason_missing` are the exception classes
    raised (each called with the state and the action), so every app keeps its own messages."""

    def __init__(
        self,
        table: Mapping[tuple[str, str], tuple],
        *,
        states: Iterable[str] = (),
        labels: Mapping[str, object] | None = None,
        refused: type[TransitionRefused] = TransitionRefused,
        not_permitted: type[TransitionRefused] = NotPermitted,
        reason_missing: type[TransitionRefused] = ReasonMissing,
    ):
        rows = []
        for (source, action), (target, roles, *rest) in table.items():
            if isinstance(roles, str):
                raise TypeError(f"roles of {source}/{action} must be a collection")
            label = (labels or {}).get(action, action)
            rows.append(Transition(source, target, action, frozenset(roles), bool(rest and rest[0]), label))
        self.transitions: tuple[Transition, ...] = tuple(rows)
        self._by_key = {(row.source, row.action): row for row in rows}
        self.states = tuple(states) or tuple(dict.fromkeys([r.source for r in rows] + [r.target for r in rows]))
        self.refused = refused
        self.not_permitted = not_permitted
        self.reason_missing = reason_missing

    def allowed(self, state: str, action: str) -> Transition:
        """The row for (`state`, `action`), whoever acts; raises `refused` when there is none."""
        try:
            return self._by_key[(state, action)]
        except KeyError:
            raise self.refused(state, action) from None

    def check(self, state: str, action: str, actor_roles: Iterable[str], reason: str | None = None) -> Transition:
        """Everything to verify before changing state: the row exists, one of `actor_roles` may
        make it, and a non-blank reason is given where the row requires one."""
        row = self.allowed(state, action)
        if not row.permits(_roles(actor_roles)):
            raise self.not_permitted(state, action)
        if row.reason_required and not (reason or "").strip():
            raise self.reason_missing(state, action)
        return row

    def actions_from(self, state: str, actor_roles: Iterable[str]) -> list[Transition]:
        """The moves out of `state` that someone holding `actor_roles` may make, in table order."""
        roles = _roles(actor_roles)
        return [row for row in self.transitions if row.source == state and row.permits(roles)]

    def may(self, action: str, actor_roles: Iterable[str]) -> bool:
        """Whether `actor_roles` may take `action` from some state."""
        roles = _roles(actor_roles)
        return any(row.action == action and row.permits(roles) for row in self.transitions)

    def as_table(self) -> dict[tuple[str, str], tuple[str, frozenset[str], bool]]:
        return {(r.source, r.action): (r.target, r.roles, r.reason_required) for r in self.transitions}
