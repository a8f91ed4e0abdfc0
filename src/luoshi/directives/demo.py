"""Demo: a fictional speech of 示范市 (demo_data/, written for luoshi and labelled 演示数据), dated ten
days before the day the demo is loaded, parsed and half decomposed — nine rows accepted, edited and
published as tasks through the services, three dropped, the rest left for the visitor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from luoshi.orgs.models import Unit, User

from . import services
from .models import Directive, DirectiveKind, ItemState

TEXT_FILE = Path(__file__).resolve().parent / "demo_data" / "shifan-dangongwei-speech.txt"
TITLE = "在示范市党工委（扩大）会议上的讲话（演示数据）"
ISSUER = "示范市党工委书记 林正华"
SUPERVISOR = "duchayuan"

# (words the row's title contains, new title or None, lead unit, co-units, lead leader, cadence, due day)
ACCEPT = [
    ("对全年主要经济指标", "主要经济指标逐项对账，拿出年终冲刺方案", "发改委", ("统计局",), "fuzhuren_jing", "weekly", 5),
    ("加快财政资金拨付", "加快财政资金拨付，年底前预算支出进度达95%以上", "财政局", (), "fuzhuren_jing", "monthly", 25),
    ("涉企收费专项检查", None, "市场监管局", ("发改委", "财政局"), "fuzhuren_jing", "monthly", 20),
    ("一件事一次办", "推进“一件事一次办”改革，高频事项全部网上可办", "政务服务局", (), "fuzhuren_jing", "monthly", 25),
    ("保障性住房", "加快保障性住房和老旧小区改造，28个老旧小区年底前完工", "住建局", ("城投集团",), "fuzhuren_cheng", "monthly", 25),
    ("冬季安全生产大检查", "开展冬季安全生产大检查，危化品企业全覆盖", "应急局", ("住建局", "市场监管局"), "fuzhuren_cheng", "weekly", 5),
    ("加强学习宣传", "围绕年终冲刺开展专题宣传，会议精神列入党校主体班次", "宣传部", ("党校",), "weiyuan_xuan", "monthly", 28),
    ("强化督查问责", "重点任务清单化管理，每月通报进展", "督查局", (), "shuji", "monthly", 5),
    ("统筹做好明年工作谋划", "提出明年重点项目和民生实事建议清单", "发改委", ("财政局",), "fuzhuren_jing", "monthly", 25),
]
DROP = ("越要绷紧安全这根弦", "改进工作作风", "确保应完成的任务全部完成")


def _unit(short: str) -> Unit | None:
    return Unit.objects.filter(short_name=short).first() or Unit.objects.filter(name=short).first()


@transaction.atomic
def load(**_context) -> dict:
    if Directive.objects.filter(title=TITLE).exists():
        return {"directives": 0, "tasks": 0}
    actor = User.objects.get(username=SUPERVISOR)
    today = timezone.localdate()
    directive = services.directive_create(
        actor=actor,
        title=TITLE,
        kind=DirectiveKind.SPEECH,
        issuer=ISSUER,
        issued_on=today - dt.timedelta(days=10),
        date_confirmed=True,
        text=TEXT_FILE.read_text(encoding="utf-8"),
    )
    items = list(directive.items.order_by("position"))
    leaders = {u.username: u for u in User.objects.filter(username__in={row[4] for row in ACCEPT})}
    for words, title, lead, co, leader, cadence, due_day in ACCEPT:
        item = next((i for i in items if words in i.title or words in i.source_text), None)
        if item is None:
            continue
        # A deadline already past (月底前 said ten days ago) would light the task red on day one;
        # the demo gives such rows two more weeks, as an office would when it publishes late.
        deadline = item.deadline or today.replace(month=12, day=31)
        if deadline < today + dt.timedelta(days=7):
            deadline = today + dt.timedelta(days=14)
        services.item_update(
            actor=actor,
            item=item,
            expected_version=item.version,
            title=title or item.title,
            lead_unit=_unit(lead),
            lead_leader=leaders.get(leader),
            deadline=deadline,
            cadence=cadence,
            due_day=due_day,
            co_units=[u for u in (_unit(s) for s in co) if u is not None],
        )
        services.item_set_state(actor=actor, item=item, state=ItemState.ACCEPTED)
    for words in DROP:
        item = next((i for i in items if words in i.title), None)
        if item is not None:
            services.item_set_state(actor=actor, item=item, state=ItemState.DROPPED)
    tasks = services.directive_publish(actor=actor, directive=directive, today=today)
    return {"directives": 1, "tasks": len(tasks), "directive_id": directive.pk}
