from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import access
from .models import Unit, User

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
