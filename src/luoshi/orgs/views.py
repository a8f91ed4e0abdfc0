from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.spreadsheets import SpreadsheetError, neutralise, read_upload, sheet_title, workbook_bytes

from . import access, jobs, services
from .models import JobRun, Role, Unit, User

PAGE_SIZE = 50
TEMPLATE_UNITS = (
    ("单位名称", "简称", "别名", "类别", "上级单位", "排序", "启用"),
    ("示例局", "示例局", "示例管理局、市示例局", "政府部门", "", 10, "是"),
)
TEMPLATE_PEOPLE = (
    ("用户名", "姓名", "单位", "角色", "职务", "电话", "邮箱", "分管单位"),
    ("shili01", "张三", "示例局", "单位联络员", "科员", "0391-0000000", "", ""),
)


@login_required
def unit_list(request):
    units = list(Unit.objects.visible_to(request.user).with_tree_fields().annotate(people_count=Count("people")))
    return render(request, "orgs/unit_list.html", {"units": units})


@login_required
def unit_detail(request, pk: int):
    unit = access.get_unit_for_user(request.user, pk)
    people = User.objects.visible_to(request.user).filter(unit=unit, is_active=True)
    children = Unit.objects.visible_to(request.user).filter(parent=unit)
    leaders = unit.overseeing_leaders.filter(is_active=True)
    return render(
        request,
        "orgs/unit_detail.html",
        {"unit": unit, "people": people, "children": children, "leaders": leaders},
    )


@login_required
def person_list(request):
    people = User.objects.visible_to(request.user).filter(is_active=True).select_related("unit")
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if q:
        people = people.filter(Q(name__icontains=q) | Q(username__icontains=q) | Q(title__icontains=q) | Q(unit__name__icontains=q))
    if role in Role.values:
        people = people.filter(role=role)
    page = Paginator(people.order_by("unit__sort_order", "sort_order", "name"), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "orgs/person_list.html#people" if request.headers.get("HX-Request") else "orgs/person_list.html"
    return render(request, template, {"page": page, "q": q, "role": role, "roles": Role.choices})


@login_required
def person_detail(request, pk: int):
    person = access.get_person_for_user(request.user, pk)
    return render(request, "orgs/person_detail.html", {"person": person, "oversees": person.oversees.all()})


@login_required
@require_http_methods(["GET", "POST"])
def directory_import(request):
    if not access.is_admin(request.user):
        raise PermissionDenied
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的 .xlsx 文件。"))
        else:
            try:
                data = read_upload(upload)
            except SpreadsheetError as exc:
                messages.error(request, str(exc))
            else:
                job = services.import_if_large(
                    actor=request.user, kind="import:directory", title=_("导入单位和人员"), data=data, upload_name=upload.name,
                    dry_run=bool(request.POST.get("dry_run")),
                )
                if job is not None:
                    return redirect(job)
                report = services.directory_import(actor=request.user, data=data, dry_run=bool(request.POST.get("dry_run")))
                if report.ok and not request.POST.get("dry_run"):
                    messages.success(
                        request,
                        _("导入完成：新增 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条。")
                        % {"created": len(report.created), "updated": len(report.updated), "unchanged": len(report.unchanged)},
                    )
    return render(request, "orgs/import.html", {"report": report})


@login_required
def directory_template(request):
    """An empty import file with the expected sheets and headers."""
    if not access.is_admin(request.user):
        raise PermissionDenied
    from openpyxl import Workbook


    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title("单位")
    ws2 = wb.create_sheet(sheet_title("人员"))
    for sheet, rows in ((ws, TEMPLATE_UNITS), (ws2, TEMPLATE_PEOPLE)):
        for row in rows:
            sheet.append([neutralise(value) for value in row])
    response = HttpResponse(
        workbook_bytes(wb), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''directory-template.xlsx"
    return response


# --- background jobs -------------------------------------------------------------------------------


@login_required
def job_list(request):
    """我的后台任务 (admins: everyone's, to look into failures)."""
    jobs = JobRun.objects.visible_to(request.user).select_related("user")
    state = request.GET.get("state")
    if state in JobRun.State.values:
        jobs = jobs.filter(state=state)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/job_list.html", {"page": page, "states": JobRun.State.choices, "state": state})


@login_required
def job_detail(request, pk: int):
    """One job's state. While it is queued or running the state part asks again every few
    seconds (htmx), and only that part is sent back."""
    job = access.get_job_for_user(request.user, pk)
    context = {"job": job, "is_owner": job.user_id == request.user.pk, "is_admin": access.is_admin(request.user)}
    if request.headers.get("HX-Request"):
        return render(request, "orgs/_job_state.html", context)
    return render(request, "orgs/job_detail.html", context)


@login_required
def job_download(request, pk: int):
    return jobs.result_response(access.get_job_result_for_user(request.user, pk))


@login_required
@require_POST
def job_confirm(request, pk: int):
    job = access.get_job_for_user(request.user, pk)
    confirmed = services.job_confirm_import(actor=request.user, job=job)
    return redirect(confirmed)
