"""Extension points through which the apps built on tasks (projects, requests) add to what the
task machinery does, without the task layer naming them.

A task of kind 项目 or 诉求 is an ordinary task: units, progress reports, the 督办 ladder, the
scoreboard, closure, timeline and access all apply to it unchanged. What differs is registered
here by the app that owns the kind, in its ``AppConfig.ready``:

* ``register_health(kind, refine)`` — ``refine(task, verdict, today) -> verdict`` receives the
  generic assessment of a task of that kind and returns the one to store (the same
  ``Health`` value, typically rebuilt with ``dataclasses.replace``). Because the stored health is
  what the board, the workbench, the dashboard, the sweep's escalation proposals and the bulletin
  read, a refined verdict reaches all of them. ``preload(tasks)``, optional, loads at once what
  ``refine`` reads for many tasks of the kind (the sweep), so the refinement costs no query per task.
* ``register_page(kind, page)`` — ``page(task) -> (label, url) | None``: the page that owns the
  task (a project ledger entry, a request), linked from the task's own page.
* ``register_workbench(panel)`` — ``panel(user, today) -> dict | None`` with ``template`` and
  whatever that template reads: an extra section of 我的工作台.

Facts to tell people go through the `luoshi.tasks.signals.notice` signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

HealthRefiner = Callable[[Any, Any, dt.date], Any]
PageLink = Callable[[Any], "tuple[str, str] | None"]
WorkbenchPanel = Callable[[Any, dt.date], "dict | None"]

_health: dict[str, HealthRefiner] = {}
_preload: dict[str, Callable[[list], None]] = {}
_pages: dict[str, PageLink] = {}
_panels: list[WorkbenchPanel] = []


def register_health(kind: str, refine: HealthRefiner, preload: Callable[[list], None] | None = None) -> None:
    _health[kind] = refine
    if preload is not None:
        _preload[kind] = preload


def preload_health(tasks) -> None:
    """Before refining the health of many tasks: each kind's app loads what its refinement reads."""
    by_kind: dict[str, list] = {}
    for task in tasks:
        if task.kind in _preload:
            by_kind.setdefault(task.kind, []).append(task)
    for kind, found in by_kind.items():
        _preload[kind](found)


def refine_health(task, verdict, today: dt.date):
    refine = _health.get(getattr(task, "kind", ""))
    return verdict if refine is None else refine(task, verdict, today)


def register_page(kind: str, page: PageLink) -> None:
    _pages[kind] = page


def page_for(task) -> tuple[str, str] | None:
    page = _pages.get(getattr(task, "kind", ""))
    return None if page is None else page(task)


def register_workbench(panel: WorkbenchPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def workbench_panels(user, today: dt.date) -> list[dict]:
    return [found for panel in _panels if (found := panel(user, today))]
