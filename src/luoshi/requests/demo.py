"""Demo enterprise requests of 示范市 (演示数据): forty problems raised by invented companies, in
every state — waiting to be assigned, declined, assigned (one with its solution overdue),
being solved (some past their 办结时限), reported solved and waiting for verification, and closed
with call-backs (满意, 基本满意, and some reopened once after a 不满意). Company names are invented
and every description is marked 演示数据; credit codes use an area code no real place has (99).

Built through the services with `today` set to the day each step happened. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luoshi.orgs.models import Unit, User
from luoshi.tasks.assess import health_refresh

from . import creditcode, services
from .models import Request

MARK = "（演示数据）"

# company, problem, details, category, lead unit (short name), liaison
PROBLEMS = [
    ("示范恒瑞精密机械有限公司", "新厂房供电接入迟缓", "10千伏专线接入申请已三个月未落实", "infrastructure", "发改委", "fgw"),
    ("示范绿源食品有限公司", "技改补贴未兑现", "2025年技改项目补贴尚未拨付", "policy", "财政局", "czj"),
    ("示范天工新材料科技有限公司", "环评审批时间长", "扩产项目环评报告已提交两个月", "approval", "生态环境局", "sthjj"),
    ("示范华信电子有限公司", "招工难", "生产线缺普工120人", "labour", "人社局", "rsj"),
    ("示范金穗农业发展有限公司", "流动资金贷款难", "缺少抵押物，银行授信不足", "finance", "财政局", "czj"),
    ("示范永辉物流有限公司", "园区道路破损", "园区主干道路面破损影响货车通行", "infrastructure", "交通局", "jtj"),
    ("示范博远生物科技有限公司", "实验楼用地手续", "实验楼用地规划调整未批复", "land", "自然资源局", "zrzyj"),
    ("示范鼎盛建材有限公司", "天然气供应不稳", "冬季限气影响窑炉生产", "infrastructure", "住建局", "zjj"),
    ("示范星河软件有限公司", "人才公寓申请", "引进的研发人员住房困难", "policy", "人社局", "rsj"),
    ("示范宏达汽车配件有限公司", "出口退税慢", "出口退税办理周期长", "policy", "商务局", "swj"),
    ("示范润泽水务有限公司", "施工许可办理", "管网改造施工许可材料反复补正", "approval", "住建局", "zjj"),
    ("示范安泰化工有限公司", "安全评价整改指导", "需要专家指导安全评价整改", "other", "应急局", "yjj"),
    ("示范海川商贸有限公司", "开拓海外市场", "希望参加境外展会获得支持", "market", "商务局", "swj"),
    ("示范康宁医疗器械有限公司", "产品注册检验排队", "二类医疗器械注册检验排队时间长", "approval", "市场监管局", "scjgj"),
    ("示范晨光纺织有限公司", "污水排放指标", "扩产后排污指标不足", "approval", "生态环境局", "sthjj"),
    ("示范智联信息技术有限公司", "5G基站进园区", "园区5G信号覆盖不足", "infrastructure", "工信局", "gxj"),
]

# (days ago received, final state, satisfaction path): 40 rows
PLAN = (
    [(d, "received", "") for d in (1, 2, 3, 5, 6)]
    + [(d, "declined", "") for d in (12, 20)]
    + [(d, "assigned", "") for d in (3, 4, 5, 6, 12, 15)]
    + [(d, "proposed", "") for d in (10, 14, 18, 25, 30, 40, 45, 60, 75, 90)]
    + [(d, "solved", "") for d in (20, 28, 35, 50, 65)]
    + [(d, "closed", path) for d, path in ((25, "satisfied"), (30, "satisfied"), (33, "basic"), (40, "satisfied"), (48, "satisfied"),
                                            (55, "basic"), (62, "reopened"), (70, "satisfied"), (80, "reopened"), (95, "satisfied"),
                                            (110, "basic"), (130, "satisfied"))]
)


def credit_code(index: int) -> str:
    body = f"9199{index % 100:02d}00MA{index:07d}"[:17]
    return body + creditcode.check_character(body)


def load(**_context) -> dict:
    if Request.objects.filter(description__endswith=MARK).exists():
        return {"requests": Request.objects.filter(description__endswith=MARK).count()}
    office = User.objects.filter(username="duchayuan").first()
    if office is None:
        return {"requests": 0}
    # The notices of the load wait for the first sweep rather than going out during it.
    luoshi = getattr(settings, "LUOSHI", {})
    saved = luoshi.get("NOTIFY_DELIVERY")
    luoshi["NOTIFY_DELIVERY"] = "sweep"
    try:
        with transaction.atomic():
            return _load(office, timezone.localdate())
    finally:
        if saved is None:
            luoshi.pop("NOTIFY_DELIVERY", None)
        else:
            luoshi["NOTIFY_DELIVERY"] = saved


def _load(office, today: dt.date) -> dict:
    units = {u.short_name: u for u in Unit.objects.all()}
    people = {u.username: u for u in User.objects.filter(role="liaison")}
    count = 0
    for index, (ago, state, path) in enumerate(PLAN):
        company, title, details, category, unit, liaison = PROBLEMS[index % len(PROBLEMS)]
        owner = people.get(liaison)
        day = today - dt.timedelta(days=ago)
        item = services.request_receive(
            actor=office, company_name=company, credit_code=credit_code(index + 1), contact_name="联系人", contact_phone="0391-0000000",
            title=title, description=details + MARK, category=category, channel="public" if index % 3 else "office", today=day,
        )
        count += 1
        if state == "received" or owner is None:
            continue
        if state == "declined":
            services.request_decline(actor=office, request=item, reason="该事项属于司法程序，已告知企业通过法律途径解决。")
            continue
        assigned_on = day + dt.timedelta(days=1)
        difficulty = ("immediate", "limited", "long")[index % 3]
        item = services.request_assign(actor=office, request=item, lead_unit=units[unit], category=category, difficulty=difficulty, today=assigned_on)
        if state == "assigned":
            continue
        proposed_on = min(today, assigned_on + dt.timedelta(days=3 + index % 5))
        # the last few being solved were given too short a time: now past their 办结时限
        solve_by = proposed_on + dt.timedelta(days=(5, 30, 180)[index % 3] if ago < 60 else 20)
        item = services.request_propose(actor=owner, request=item, solution="成立专班，协调相关部门逐项解决。", difficulty=difficulty,
                                        solve_by=solve_by, today=proposed_on)
        reported = proposed_on + dt.timedelta(days=2)
        if reported <= today:
            services.request_report(actor=owner, request=item, percent=40, progress="已召开协调会，明确解决路径。", today=reported)
        if state == "proposed":
            continue
        solved_on = min(today, proposed_on + dt.timedelta(days=max(3, ago // 3)))
        item = services.request_solve(actor=owner, request=item, evidence="问题已解决，企业已确认。", today=solved_on)
        if state == "solved":
            continue
        if path == "reopened":
            services.request_callback(actor=office, request=item, outcome="电话回访企业负责人", satisfaction="unsatisfied",
                                      reason="问题只解决了一部分", today=solved_on, called_on=solved_on)
            item.refresh_from_db()
            later = min(today, solved_on + dt.timedelta(days=5))
            item = services.request_solve(actor=owner, request=item, evidence="剩余问题已解决。", today=later)
            solved_on = later
            path = "satisfied"
        services.request_callback(actor=office, request=item, outcome="电话回访企业负责人，确认问题已解决", satisfaction=path,
                                  reply="您反映的问题已协调解决，感谢对我市工作的支持。", today=solved_on, called_on=solved_on)
    # Lights as of today, whatever each step computed on its own day.
    for item in Request.objects.filter(description__endswith=MARK).exclude(task=None).select_related("task"):
        health_refresh(task=item.task, today=today)
    return {"requests": count}
