"""Demo tasks of 示范市 (演示数据): every health state (green, yellow, red, done, none), months of
progress reports (some late, one corrected), milestones, sub-tasks, a pending extension request,
leader instructions, a closure waiting to be verified, one verified, one returned, and 整改 tasks.

Everything is dated relative to the day the demo is loaded, through the same services the pages
use (with `today` set to the day each step happened), so the health of each task is computed, not
typed, and a sweep on the following days finds reports due and deadlines near. Idempotent: the
tasks are created once, marked with the tag 演示数据."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from luoshi.orgs.models import Unit, User
from luoshi.tasks import periods as P
from luoshi.tasks.assess import health_refresh

from . import services
from .models import ProgressReport, Task, TaskTransition

TAG = "演示数据"
# The smallest files of their kinds that pass the attachment checks.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class _Demo:
    def __init__(self, today: dt.date):
        self.today = today
        self.units = {u.short_name: u for u in Unit.objects.all()}
        self.people = {u.username: u for u in User.objects.all()}
        self.supervisor = self.people["duchayuan"]

    def unit(self, short):
        return self.units[short]

    def person(self, username):
        return self.people.get(username)

    def days(self, n: int) -> dt.date:
        return self.today + dt.timedelta(days=n)

    def task(self, title, lead, *, co=(), leader=None, start=-120, deadline=120, cadence="monthly", due_day=25,
             kind="key", tags="", parent=None, measures="", target="", milestones=(), publish=True) -> Task:
        task = services.task_create(
            actor=self.supervisor, title=title, lead_unit=self.unit(lead), co_units=[self.unit(c) for c in co],
            lead_leader=self.person(leader) if leader else None, parent=parent, measures=measures, target_text=target,
            start_on=self.days(start), deadline=self.days(deadline), cadence=cadence, due_day=due_day, kind=kind,
            tags="、".join(t for t in (tags, TAG) if t),
            milestones=[(self.days(d), text, pct) for d, text, pct in milestones],
        )
        if publish:
            self.backdated(lambda day: services.task_publish(actor=self.supervisor, task=task, today=day), self.days(start))
        return task

    def backdated(self, step, day: dt.date, hour: int = 10):
        """Run a service as on `day` and move the timestamps it wrote to that day."""
        before_t = TaskTransition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        before_r = ProgressReport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        result = step(day)
        TaskTransition.objects.filter(pk__gt=before_t).update(created_at=_at(day, hour))
        ProgressReport.objects.filter(pk__gt=before_r).update(submitted_at=_at(day, hour))
        return result

    def reports(self, task: Task, liaison: str, percents: list[int], *, late: set[int] = frozenset(), skip_last: int = 0,
                unit: str | None = None, texts: dict[int, str] | None = None):
        """One report per past period (oldest first) with the given percents; periods listed in
        `late` are sent three days after their due date; the last `skip_last` periods are missed."""
        actor = self.person(liaison)
        owed = P.due_periods(task.cadence, task.due_day, task.published_on, self.today)
        end = len(owed) - skip_last
        owed = owed[max(0, end - len(percents)):end]
        made = []
        for index, (period, percent) in enumerate(zip(owed, percents)):
            day = period.due + dt.timedelta(days=3 if index in late else -2)
            day = min(max(day, task.published_on), self.today)
            text = (texts or {}).get(index) or f"按计划推进，本期完成{period.label}既定工作，累计完成{percent}%。"
            made.append(self.backdated(
                lambda d, p=period, pc=percent, t=text: services.report_submit(
                    actor=actor, task=task, percent=pc, progress=t, problems="要素保障仍需加强。" if pc < 60 else "",
                    next_steps="继续按节点推进。", unit=self.unit(unit) if unit else None, period_key=p.key, today=d,
                ),
                day,
            ))
        return made


@transaction.atomic
def load(**_context) -> dict:
    if Task.objects.filter(tags__contains=TAG).exists():
        return {"tasks": 0}

    if not Unit.objects.filter(short_name="政务服务局").exists() or not User.objects.filter(username="duchayuan").exists():
        return {"tasks": 0}  # the org directory's demo did not run: nothing to attach tasks to
    today = timezone.localdate()
    d = _Demo(today)
    sup = d.supervisor

    # 1. Green, with two sub-tasks (one green, one yellow on a missing report) ---------------------
    t1 = d.task(
        "深化“放管服”改革，推进政务服务“一网通办”", "政务服务局", co=("发改委",), leader="fuzhuren_jing", start=-120, deadline=120,
        measures="梳理政务服务事项清单，推进高频事项“掌上办”“一次办”。", target="政务服务事项网上可办率达到95%以上",
        milestones=((-60, "完成事项清单梳理", 25), (30, "高频事项全部上线", 60)),
    )
    d.reports(t1, "zwfwj", [12, 25, 38, 50], late={1})
    t11 = d.task("高频政务服务事项“掌上办”全覆盖", "政务服务局", parent=t1, leader="fuzhuren_jing", start=-90, deadline=90)
    d.reports(t11, "zwfwj", [15, 32, 50])
    t12 = d.task("企业开办时间压缩至1个工作日", "市场监管局", co=("公安局",), parent=t1, leader="fuzhuren_jing", start=-90, deadline=60,
                 cadence="weekly", due_day=5)
    d.reports(t12, "scjgj", [40, 45, 50, 55, 60, 62, 64, 66, 68, 70, 72], skip_last=1)

    # 2. Yellow: behind plan; a late report, a corrected one, an extension request, instructions ----
    t2 = d.task(
        "加快重点项目建设，确保完成年度投资计划", "发改委", co=("财政局", "住建局"), leader="fuzhuren_jing", start=-150, deadline=90,
        kind="project", measures="实行重点项目周调度、月通报，强化资金和用地保障。", target="完成年度固定资产投资计划",
        milestones=((-90, "新开工项目全部开工", 30), (0, "完成投资计划六成", 60)),
    )
    made = d.reports(t2, "fgw", [10, 20, 35, 38, 45], late={2})
    d.reports(t2, "czj", [15, 30, 40], unit="财政局")
    first = made[1]
    d.backdated(
        lambda day: services.report_correct(
            actor=d.person("fgw"), report=first, percent=22, progress="更正：本期新开工项目8个（原报6个有误），累计完成22%。",
            next_steps="加快手续办理。", today=day,
        ),
        first.submitted_on + dt.timedelta(days=1), hour=15,
    )
    services.extension_request(actor=d.person("fgw"), task=t2, reason="受用地指标下达时间影响，部分项目开工推迟，申请延期一个月。",
                               new_deadline=d.days(120), today=today)
    services.instruction_add(actor=d.person("shuji"), task=t2, text="项目建设是稳增长的关键，请发改委牵头逐项过堂，财政局保障资金。")

    # 3. Red: overdue -------------------------------------------------------------------------------
    t3 = d.task("完成年度老旧小区改造任务", "住建局", co=("城投集团",), leader="fuzhuren_cheng", start=-200, deadline=-3,
                kind="livelihood", target="改造老旧小区42个", milestones=((-100, "全部开工", 40),))
    d.reports(t3, "zjj", [10, 20, 35, 50, 62, 75, 85])
    services.instruction_add(actor=d.person("fuzhuren_cheng"), task=t3, text="已逾期，请住建局说明原因并明确完成时间。")

    # 4. Red: two periods unreported ------------------------------------------------------------------
    t4 = d.task("推进规上工业企业数字化改造", "工信局", leader="fuzhuren_jing", start=-180, deadline=180, kind="project",
                target="完成50家企业数字化诊断")
    d.reports(t4, "gxj", [8, 15, 22], skip_last=2)

    # 5. Done: a 整改 task closed on evidence --------------------------------------------------------
    t5 = d.task("整治农民工工资拖欠问题（巡察反馈）", "人社局", leader="fuzhuren_she", start=-100, deadline=10, kind="rectification")
    d.reports(t5, "rsj", [40, 80])
    d.backdated(lambda day: services.closure_request(
        actor=d.person("rsj"), task=t5, evidence="已追回拖欠工资312万元，涉及农民工486人，建立工资专户制度。",
        attachments=[_pdf("整改完成情况报告.pdf")], today=day), d.days(-6))
    d.backdated(lambda day: services.closure_verify(actor=sup, task=t5, note="经核验，佐证材料齐全，同意销号。", today=day), d.days(-2), hour=16)

    # 6. Closure requested, waiting for the office --------------------------------------------------------
    t6 = d.task("加强营商环境宣传报道", "宣传部", leader="weiyuan_xuan", start=-90, deadline=20)
    d.reports(t6, "xcb_ll", [50, 100])
    d.backdated(lambda day: services.closure_request(
        actor=d.person("xcb_ll"), task=t6, evidence="开设专栏“营商环境看示范”，刊发报道36篇。",
        attachments=[SimpleUploadedFile("专栏截图.png", PNG, content_type="image/png")], today=day), d.days(-1))

    # 7. Yellow 整改: deadline within a week ---------------------------------------------------------
    t7 = d.task("环保督察反馈问题整改", "生态环境局", co=("住建局",), leader="fuzhuren_cheng", start=-60, deadline=5,
                kind="rectification", cadence="weekly", due_day=5)
    d.reports(t7, "sthjj", [30, 45, 60, 70, 80, 85, 88, 90])

    # 8. Returned: closure refused for missing evidence -----------------------------------------------------
    t8 = d.task("推动城投公司市场化转型", "城投集团", leader="fuzhuren_jing", start=-120, deadline=30)
    d.reports(t8, "ctjt", [30, 50, 70, 90])
    d.backdated(lambda day: services.closure_request(
        actor=d.person("ctjt"), task=t8, evidence="已完成转型方案报批。", today=day), d.days(-8))
    d.backdated(lambda day: services.closure_return(
        actor=sup, task=t8, reason="佐证材料不全，请补充审计意见和董事会决议。", today=day), d.days(-5), hour=15)

    # 9. None: suspended and draft ---------------------------------------------------------------------
    t9 = d.task("轨道交通线网规划前期研究", "交通局", leader="fuzhuren_cheng", start=-60, deadline=300, cadence="quarterly", due_day=25)
    d.backdated(lambda day: services.task_transition(
        actor=sup, task=t9, action="suspend", reason="等待省级规划批复。", today=day), d.days(-20))
    d.task("筹办全市营商环境大会", "政务服务局", leader="fuzhuren_jing", start=10, deadline=100, publish=False)

    # 10. A weekly green task so reports fall due every week -----------------------------------------------------
    t10 = d.task("安全生产大排查大整治", "应急局", co=("市场监管局",), leader="fuzhuren_cheng", start=-40, deadline=50,
                 cadence="weekly", due_day=5)
    d.reports(t10, "yjj", [8, 16, 25, 33, 40])

    # Health as of today, whatever the steps above computed on their own days.
    count = 0
    for task in Task.objects.filter(tags__contains=TAG):
        health_refresh(task=task, today=today)
        count += 1
    return {"tasks": count}
