import datetime as dt

from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import access, jobs
from .models import JobRun, Unit, User

router = Router()


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    aliases: list[str]
    kind: str
    parent_id: int | None
    sort_order: int
    active: bool

    @staticmethod
    def resolve_aliases(obj):
        return obj.alias_list


class PersonOut(Schema):
    id: int
    username: str
    name: str
    unit_id: int | None
    role: str
    title: str
    phone: str


@router.get("/units", response=list[UnitOut])
@paginate(LimitOffsetPagination)
def list_units(request):
    return Unit.objects.visible_to(request.user)


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: int):
    return access.get_unit_for_user(request.user, unit_id)


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(request, unit_id: int | None = None):
    people = User.objects.visible_to(request.user).filter(is_active=True)
    if unit_id is not None:
        people = people.filter(unit_id=unit_id)
    return people


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request, person_id: int):
    return access.get_person_for_user(request.user, person_id)


@router.get("/me", response=PersonOut)
def me(request):
    return request.user


class JobOut(Schema):
    """A background job (a large import or export) and where it stands."""

    id: int
    user_id: int
    kind: str
    title: str
    state: str
    dry_run: bool
    attempts: int
    total: int | None
    done: int
    summary: dict
    error: str
    result_name: str
    result_url: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_result_url(obj):
        return reverse("api:get_job_file", args=[obj.pk]) if obj.result_file else None


@router.get("/jobs", response=list[JobOut])
@paginate(LimitOffsetPagination)
def list_jobs(request, state: str | None = None):
    """The caller's background jobs (an admin's: everyone's), newest first."""
    jobs = JobRun.objects.visible_to(request.user)
    return jobs.filter(state=state) if state else jobs


@router.get("/jobs/{job_id}", response=JobOut)
def get_job(request, job_id: int):
    return access.get_job_for_user(request.user, job_id)


@router.get("/jobs/{job_id}/file", url_name="get_job_file")
def get_job_file(request, job_id: int):
    """The finished export's file; only for the person who ran it (404 for anyone else)."""
    return jobs.result_response(access.get_job_result_for_user(request.user, job_id))
