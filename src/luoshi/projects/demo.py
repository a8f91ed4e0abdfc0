"""Demo projects of 示范市 (演示数据): thirty projects in three batches of the current quarter
(签约一批、开工一批、投产一批), in every state — on schedule, a stage due this month, a stage one to
two months late, three months late, investment behind the plan by 10–30 points and by more,
stalled and idle projects for 盘活, one waiting for closure and one closed — with monthly reports
since January. Names are invented; every backing task carries the tag 演示数据.

Built through the same services as the pages, with `today` set to the day each step happened,
so the lights are computed, not typed. Idempotent: nothing is added when the demo projects exist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from luoshi.orgs.models import Unit, User
from luoshi.tasks.assess import health_refresh
from luoshi.tasks import services as task_services
from luoshi.tasks.models import Task

from . import services
from .models import Batch, Project, Stage

TAG = "演示数据"

# name, content, industry, lead unit (short name), liaison, total investment (万元)
PROJECTS = [
    ("示范市新能源电池材料产业园", "建设年产5万吨正极材料生产线及配套厂房", "新材料", "工信局", "gxj", 360000),
    ("高端装备制造产业园二期", "建设标准化厂房15万平方米", "装备制造", "发改委", "fgw", 120000),
    ("北山镇农产品冷链物流中心", "建设冷库3万吨及分拣中心", "现代物流", "北山镇", "beishan", 28000),
    ("东城街道老旧厂区更新改造", "改造老旧厂房8万平方米为科创空间", "城市更新", "东城街道", "dongcheng", 46000),
    ("示范市数据中心一期", "建设机柜3000架及配套电力设施", "数字经济", "工信局", "gxj", 85000),
    ("城东污水处理厂扩建", "新增日处理能力5万吨", "环保设施", "住建局", "zjj", 52000),
    ("示范大道快速化改造", "改造道路12公里，新建互通立交2座", "交通基础设施", "交通局", "jtj", 210000),
    ("精密铸件智能工厂", "建设智能铸造生产线6条", "装备制造", "工信局", "gxj", 64000),
    ("跨境电商产业园", "建设跨境电商综合服务中心和保税仓", "商贸物流", "商务局", "swj", 38000),
    ("城投集团保障性租赁住房", "建设保障性租赁住房2200套", "保障住房", "城投集团", "ctjt", 98000),
    ("光伏组件生产基地", "建设年产3GW光伏组件生产线", "新能源", "发改委", "fgw", 150000),
    ("生物医药中试基地", "建设中试车间及研发楼4万平方米", "生物医药", "科技局", "kjj", 42000),
    ("智慧农业示范园", "建设智能温室500亩", "现代农业", "农业农村局", "nyncj", 18000),
    ("氢能装备产业园", "建设电解槽及储氢装备生产线", "新能源", "发改委", "fgw", 175000),
    ("城北片区棚户区改造", "改造棚户区住房1600户", "城市更新", "住建局", "zjj", 88000),
    ("示范港物流枢纽", "建设铁路专用线及多式联运场站", "现代物流", "交通局", "jtj", 132000),
    ("工业互联网平台", "建设工业互联网标识解析二级节点", "数字经济", "工信局", "gxj", 12000),
    ("农产品深加工产业园", "建设果蔬深加工生产线8条", "食品加工", "北山镇", "beishan", 26000),
    ("商业综合体城市客厅", "建设商业综合体16万平方米", "商贸服务", "商务局", "swj", 95000),
    ("高标准农田建设", "建设高标准农田3万亩", "现代农业", "农业农村局", "nyncj", 9000),
    ("特种钢材深加工", "建设特钢精深加工生产线", "新材料", "工信局", "gxj", 72000),
    ("城市燃气管网改造", "改造老化燃气管网86公里", "市政设施", "城投集团", "ctjt", 23000),
    ("电子信息产业园", "建设电子元器件标准厂房10万平方米", "电子信息", "发改委", "fgw", 110000),
    ("科技孵化器二期", "建设孵化楼3栋及公共实验平台", "科技服务", "科技局", "kjj", 21000),
    ("东城街道社区养老服务中心", "建设社区养老服务中心6处", "社会事业", "东城街道", "dongcheng", 6500),
    ("污泥无害化处置中心", "建设日处理300吨污泥处置线", "环保设施", "住建局", "zjj", 19000),
    ("汽车零部件产业园", "建设汽车零部件生产基地", "装备制造", "发改委", "fgw", 86000),
    ("文旅康养综合体", "建设康养酒店及配套设施", "文化旅游", "商务局", "swj", 68000),
    ("城市停车设施建设", "新建公共停车泊位4500个", "市政设施", "交通局", "jtj", 15000),
    ("废旧动力电池回收利用", "建设年处理2万吨回收生产线", "循环经济", "工信局", "gxj", 33000),
]

# Scenario per project, cycled: (batch stage, months from today to the planned 开工 (negative =
# late), 开工 reached?, investment factor, flags, closure)
SCENARIOS = [
    ("签约", 2, False, 1.0, "", ""),  # green: 开工 planned in two months, investment on plan
    ("开工", 0, False, 1.05, "", ""),  # yellow: 开工 due this month
    ("开工", -1, False, 0.95, "", ""),  # yellow: 开工 one month late
    ("开工", -4, False, 0.9, "", ""),  # red: 开工 four months late
    ("投产", -6, True, 0.8, "", ""),  # yellow: investment 10–30 points behind (late in the year)
    ("投产", -8, True, 0.4, "", ""),  # red: investment far behind
    ("开工", -5, True, 0.3, "stalled", ""),  # stalled after 开工, 盘活
    ("投产", -10, True, 1.0, "idle", ""),  # idle after 投产, 盘活
    ("投产", -9, True, 1.1, "", "requested"),  # closure requested
    ("投产", -11, True, 1.2, "", "closed"),  # closed
]


def _month_start(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _clamp(day: dt.date, low: dt.date, high: dt.date) -> dt.date:
    return max(low, min(high, day))


@transaction.atomic
def load(**_context) -> dict:
    if Project.objects.filter(task__tags__contains=TAG).exists():
        return {"projects": Project.objects.filter(task__tags__contains=TAG).count()}
    today = timezone.localdate()
    supervisor = User.objects.filter(username="duchayuan").first()
    if supervisor is None:
        return {"projects": 0}
    units = {u.short_name: u for u in Unit.objects.all()}
    people = {u.username: u for u in User.objects.filter(role="liaison")}
    leader = User.objects.filter(username="fuzhuren_jing").first()
    stages = {s.name: s for s in services.stages()}
    plan_year = today.year if today.month > 2 else today.year - 1
    # The office began keeping the ledger here some months ago and brought the earlier months of
    # the year over from its spreadsheet.
    entered = max(dt.date(plan_year, 1, 10), _month_start(min(today, dt.date(plan_year, 12, 31)), -3) + dt.timedelta(days=4))
    quarter = (today.month - 1) // 3 + 1
    batches = {
        name: services.batch_create(actor=supervisor, year=today.year, quarter=quarter, stage=stages[name])
        for name in ("签约", "开工", "投产") if name in stages
    }
    count = 0
    for index, (name, content, industry, unit, liaison, total) in enumerate(PROJECTS):
        batch_stage, start_in, started, factor, flag, closure = SCENARIOS[index % len(SCENARIOS)]
        start_planned = _month_start(today, start_in) + dt.timedelta(days=19)
        signed = _clamp(start_planned - dt.timedelta(days=90), dt.date(plan_year - 1, 10, 1), today + dt.timedelta(days=200))
        dates = {
            stages["谋划"].pk: (dt.date(plan_year - 1, 9, 30), dt.date(plan_year - 1, 9, 20)),
            stages["签约"].pk: (signed, min(signed, today)),
            stages["开工"].pk: (start_planned, start_planned if started and start_planned <= today else None),
            stages["投产"].pk: (start_planned + dt.timedelta(days=300), None),
        }
        plan = Decimal(total) / 3
        project = services.project_create(
            actor=supervisor, name=name, content=content, industry=industry, lead_unit=units[unit], lead_leader=leader,
            location="示范市", total_investment=total, annual_plan=plan.quantize(Decimal("1")), plan_year=plan_year,
            batch=batches.get(batch_stage), stage_dates=dates, today=entered,
            problems="用地指标尚未落实" if factor < 0.6 else "",
        )
        Task.objects.filter(pk=project.task_id).update(tags=f"{industry}、{TAG}")
        owner = people.get(liaison)
        # monthly reports for every completed month of the plan year, on the 25th
        last = 12 if today.year > plan_year else today.month - 1
        amount = (plan / 12 * Decimal(str(factor))).quantize(Decimal("0.01"))
        before = {m: amount for m in range(1, min(last, entered.month - 1) + 1)} if entered.year == plan_year else {}
        if before:
            services.months_record(actor=supervisor, project=project, amounts=before, today=entered)
        for month in range(len(before) + 1, last + 1):
            if owner is None:
                break
            services.monthly_report_submit(
                actor=owner, project=project, year=plan_year, month=month, amount=amount,
                image_progress=("完成当月建设任务（演示数据）" if factor >= 0.9 else "施工进度滞后（演示数据）"), today=dt.date(plan_year, month, 25),
            )
        if flag:
            services.flags_set(actor=supervisor, project=project, stalled=flag == "stalled", idle=flag == "idle",
                               note="成立专班，引入战略投资者盘活（演示数据）")
        if closure and owner is not None:
            project.refresh_from_db()
            services.stage_reach(actor=supervisor, project=project, stage=stages["投产"], actual_on=today - dt.timedelta(days=5), today=today)
            task = Task.objects.get(pk=project.task_id)
            task_services.closure_request(actor=owner, task=task, evidence="项目已竣工投产，取得排污许可证（演示数据）。", today=today)
            if closure == "closed":
                task_services.closure_verify(actor=supervisor, task=Task.objects.get(pk=project.task_id), note="经核验同意销号。", today=today)
        count += 1
    for project in Project.objects.filter(task__tags__contains=TAG).select_related("task"):
        health_refresh(task=project.task, today=today)
    return {"projects": count}
