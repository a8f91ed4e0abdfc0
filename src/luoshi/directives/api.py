"""Directives, parsing and publishing over JSON. Same services and access rules as the pages:
supervisors create, decompose and publish; leaders read published directives; liaisons see none."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.core.errors import Forbidden, Invalid
from luoshi.core.textlimits import DOCUMENT, LONG, Text
from luoshi.orgs.models import Role, Unit, User

from . import access, services
from .models import DecompositionItem, Directive
from .parsing import ParseError, parse

router = Router()


class DirectiveOut(Schema):
    id: int
    title: str
    kind: str
    issuer: str
    issued_on: dt.date
    date_confirmed: bool
    status: str
    source_filename: str


class DocumentDateOut(Schema):
    date: dt.date | None
    year: int | None
    text: str
    source: str
    mismatch: bool


class DirectiveDetailOut(DirectiveOut):
    text: str
    document_date: DocumentDateOut | None = None

    @staticmethod
    def resolve_document_date(obj):
        return services.document_date(obj)


class DirectiveIn(Schema):
    title: Text(200) = ""
    kind: Text(20) = "speech"
    issuer: Text(100) = ""
    issued_on: dt.date
    date_confirmed: bool = False
    text: Text(DOCUMENT)
    parse: bool = True


class ParseIn(Schema):
    text: Text(DOCUMENT)
    issued: dt.date | None = None


class ItemOut(Schema):
    id: int
    position: int
    state: str
    origin: str
    title: str
    measures: str
    source_start: int | None
    source_end: int | None
    section: str
    unit_names: list[str]
    lead_unit_id: int | None
    lead_leader_id: int | None
    co_unit_ids: list[int]
    deadline: dt.date | None
    deadline_text: str
    cadence: str
    due_day: int | None
    target_text: str
    parent_id: int | None
    task_id: int | None
    version: int

    boundaries: list[int] = []

    @staticmethod
    def resolve_co_unit_ids(obj):
        return [u.pk for u in obj.co_units.all()]

    @staticmethod
    def resolve_boundaries(obj):
        return services.boundaries(obj)


class ItemPatch(Schema):
    version: int
    state: Text(20) | None = None
    title: Text(300) | None = None
    measures: Text(LONG) | None = None
    lead_unit_id: int | None = None
    lead_leader_id: int | None = None
    co_unit_ids: list[int] | None = None
    deadline: dt.date | None = None
    deadline_text: Text(100) | None = None
    cadence: Text(20) | None = None
    due_day: int | None = None


class MergeIn(Schema):
    item_ids: list[int]


class SplitIn(Schema):
    version: int
    at: int  # offset in the directive's text, strictly inside the row's span


class SelectionIn(Schema):
    item_ids: list[int]
    versions: dict[int, int] = {}


class BulkIn(SelectionIn):
    lead_unit_id: int | None = None
    co_unit_ids: list[int] | None = None
    lead_leader_id: int | None = None
    deadline: dt.date | None = None
    cadence: Text(20) | None = None


class StatesIn(SelectionIn):
    state: Text(20)


class VersionIn(Schema):
    version: int | None = None


class MapUnitIn(Schema):
    name: Text(100)
    unit_id: int


class PublishOut(Schema):
    task_ids: list[int]


class ErrorOut(Schema):
    detail: str
    problems: list[str] = []


def _writable(request, pk) -> Directive:
    """The directive to change: the services decide whether this user may (403 otherwise)."""
    return access.get_directive_for_user(request.user, pk)


def _items(directive):
    return directive.items.prefetch_related("co_units").order_by("position", "pk")


@router.get("/directives", response=list[DirectiveOut])
@paginate(LimitOffsetPagination)
def list_directives(request):
    return Directive.objects.visible_to(request.user)


@router.post("/directives", response={201: DirectiveDetailOut, 400: ErrorOut, 403: ErrorOut})
def create_directive(request, payload: DirectiveIn):
    directive = services.directive_create(
        actor=request.user,
        title=payload.title,
        kind=payload.kind,
        issuer=payload.issuer,
        issued_on=payload.issued_on,
        date_confirmed=payload.date_confirmed,
        text=payload.text,
        parse_now=payload.parse,
    )
    return Status(201, directive)


@router.get("/directives/{directive_id}", response=DirectiveDetailOut)
def get_directive(request, directive_id: int):
    return access.get_directive_for_user(request.user, directive_id)


@router.post("/parse")
def parse_text(request, payload: ParseIn):
    """Parse text without saving anything: the outline and candidate tasks, offsets into `text`.
    Units are matched against the unit directory."""
    if not access.may_manage_directives(request.user):
        raise Forbidden(_("只有督查员可以使用解析接口。"))
    try:
        return parse(payload.text, issued=payload.issued, units=services.directory().units).to_dict()
    except ParseError as exc:
        raise Invalid(str(exc)) from exc


@router.post("/directives/{directive_id}/parse", response={200: list[ItemOut], 400: ErrorOut})
def parse_directive(request, directive_id: int):
    """(Re)draft the candidates; rows a person has already handled are kept."""
    directive = _writable(request, directive_id)
    services.directive_parse(actor=request.user, directive=directive)
    return Status(200, _items(directive))


@router.get("/directives/{directive_id}/items", response=list[ItemOut])
@paginate(LimitOffsetPagination)
def list_items(request, directive_id: int):
    directive = access.get_directive_for_user(request.user, directive_id)
    return _items(directive)


@router.patch("/directives/{directive_id}/items/{item_id}", response={200: ItemOut, 400: ErrorOut, 409: ErrorOut})
def update_item(request, directive_id: int, item_id: int, payload: ItemPatch):
    directive = _writable(request, directive_id)
    item = access.get_decomposition_item_for_user(request.user, directive, item_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    state = data.pop("state", None)
    co_unit_ids = data.pop("co_unit_ids", None)
    changes = {}
    if "lead_unit_id" in data:
        pk = data.pop("lead_unit_id")
        changes["lead_unit"] = _get(Unit.objects.active(), pk, _("牵头单位"))
    if "lead_leader_id" in data:
        pk = data.pop("lead_leader_id")
        changes["lead_leader"] = _get(User.objects.filter(role=Role.LEADER, is_active=True), pk, _("牵头领导"))
    changes.update(data)
    co_units = None
    if co_unit_ids is not None:
        co_units = list(Unit.objects.active().filter(pk__in=co_unit_ids))
        if len(co_units) != len(set(co_unit_ids)):
            raise Invalid(_("责任单位中有不存在或已停用的单位。"))
    if changes or co_units is not None:
        services.item_update(actor=request.user, item=item, expected_version=version, co_units=co_units, **changes)
        version = item.version
    if state is not None:
        services.item_set_state(actor=request.user, item=item, state=state, expected_version=version)
    return Status(200, DecompositionItem.objects.prefetch_related("co_units").get(pk=item.pk))


def _get(queryset, pk, label):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Invalid(_("%(label)s不存在。") % {"label": label})
    return found


@router.post("/directives/{directive_id}/merge", response={200: ItemOut, 400: ErrorOut})
def merge_items(request, directive_id: int, payload: MergeIn):
    directive = _writable(request, directive_id)
    items = list(directive.items.filter(pk__in=payload.item_ids))
    if len(items) != len(set(payload.item_ids)):
        raise Invalid(_("有条目不属于该来源文件。"))
    kept = services.items_merge(actor=request.user, directive=directive, items=items)
    return Status(200, DecompositionItem.objects.prefetch_related("co_units").get(pk=kept.pk))


@router.post("/directives/{directive_id}/items/{item_id}/split", response={200: list[ItemOut], 400: ErrorOut, 409: ErrorOut})
def split_item(request, directive_id: int, item_id: int, payload: SplitIn):
    directive = _writable(request, directive_id)
    item = access.get_decomposition_item_for_user(request.user, directive, item_id)
    second = services.item_split(actor=request.user, item=item, at=payload.at, expected_version=payload.version)
    return Status(200, DecompositionItem.objects.filter(pk__in=[item.pk, second.pk]).prefetch_related("co_units").order_by("position"))


def _selection(directive, ids) -> list[DecompositionItem]:
    items = list(directive.items.filter(pk__in=ids))
    if len(items) != len(set(ids)):
        raise Invalid(_("有条目不属于该来源文件。"))
    return items


def _out(items):
    return DecompositionItem.objects.filter(pk__in=[i.pk for i in items]).prefetch_related("co_units").order_by("position", "pk")


@router.post("/directives/{directive_id}/bulk-assign", response={200: list[ItemOut], 400: ErrorOut, 409: ErrorOut})
def bulk_assign(request, directive_id: int, payload: BulkIn):
    """Set the lead unit, co-units, lead leader, deadline or cadence of several rows at once (all
    or nothing; `versions` maps row id to the version read)."""
    directive = _writable(request, directive_id)
    items = _selection(directive, payload.item_ids)
    data = payload.dict(exclude_unset=True)
    fields = {}
    if "lead_unit_id" in data:
        fields["lead_unit"] = _get(Unit.objects.active(), data["lead_unit_id"], _("牵头单位"))
    if "lead_leader_id" in data:
        fields["lead_leader"] = _get(User.objects.filter(role=Role.LEADER, is_active=True), data["lead_leader_id"], _("牵头领导"))
    if data.get("co_unit_ids") is not None:
        co_units = list(Unit.objects.active().filter(pk__in=data["co_unit_ids"]))
        if len(co_units) != len(set(data["co_unit_ids"])):
            raise Invalid(_("责任单位中有不存在或已停用的单位。"))
        fields["co_units"] = co_units
    if "deadline" in data:
        fields["deadline"] = data["deadline"]
    if data.get("cadence") is not None:
        fields["cadence"] = data["cadence"]
    services.items_bulk_assign(actor=request.user, directive=directive, items=items, versions=payload.versions, **fields)
    return Status(200, _out(items))


@router.post("/directives/{directive_id}/states", response={200: list[ItemOut], 400: ErrorOut, 409: ErrorOut})
def set_states(request, directive_id: int, payload: StatesIn):
    """Accept, drop or restore several rows at once (all or nothing)."""
    directive = _writable(request, directive_id)
    items = _selection(directive, payload.item_ids)
    services.items_set_state(actor=request.user, directive=directive, items=items, state=payload.state, versions=payload.versions)
    return Status(200, _out(items))


@router.post(
    "/directives/{directive_id}/items/{item_id}/split-actions", response={200: list[ItemOut], 400: ErrorOut, 409: ErrorOut}
)
def split_into_actions(request, directive_id: int, item_id: int, payload: VersionIn):
    """拆分为各项: one row per action the parser finds in the row's words."""
    directive = _writable(request, directive_id)
    item = access.get_decomposition_item_for_user(request.user, directive, item_id)
    rows = services.item_split_actions(actor=request.user, item=item, expected_version=payload.version)
    return Status(200, _out(rows))


@router.post("/directives/{directive_id}/items/{item_id}/map-unit", response={200: ItemOut, 400: ErrorOut, 409: ErrorOut})
def map_unit(request, directive_id: int, item_id: int, payload: MapUnitIn):
    """对应到…: a unit name the directory did not know becomes an alias of a directory unit."""
    directive = _writable(request, directive_id)
    item = access.get_decomposition_item_for_user(request.user, directive, item_id)
    unit = _get(Unit.objects.active(), payload.unit_id, _("单位"))
    services.item_map_unit(actor=request.user, item=item, name=payload.name, unit=unit)
    return Status(200, DecompositionItem.objects.prefetch_related("co_units").get(pk=item.pk))


@router.post("/directives/{directive_id}/publish", response={200: PublishOut, 400: ErrorOut})
def publish_directive(request, directive_id: int):
    """Publish every accepted row as a task (all or nothing)."""
    directive = _writable(request, directive_id)
    tasks = services.directive_publish(actor=request.user, directive=directive)
    return Status(200, {"task_ids": [t.pk for t in tasks]})

