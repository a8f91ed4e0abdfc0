"""The org directory of 示范市, a fictional city (演示数据). Written for the demo; any likeness to a
real city's directory is only in the kind of units every city has."""

from __future__ import annotations

from django.db import transaction

from .models import Role, Unit, UnitKind, User

DEMO_PASSWORD = "luoshi-demo"

P, G, C, T, S = UnitKind.PARTY, UnitKind.GOVERNMENT, UnitKind.CONGRESS, UnitKind.TOWN, UnitKind.SOE

# name, short name, aliases, kind, parent
UNITS: list[tuple[str, str, str, str, str | None]] = [
    ("示范市党工委办公室", "党工委办公室", "示范区党工委办公室、党工委办、市委办公室", P, None),
    ("示范市督查局", "督查局", "市督查局、督查室", P, "示范市党工委办公室"),
    ("示范市党工委组织部", "组织部", "市委组织部、组织部门", P, None),
    ("示范市党工委宣传部", "宣传部", "市委宣传部、宣传部门", P, None),
    ("示范市党工委统战部", "统战部", "市委统战部", P, None),
    ("示范市党工委政法委", "政法委", "市委政法委", P, None),
    ("示范市委党校", "党校", "市委党校、党工委党校", P, None),
    ("示范市人大工委", "人大工委", "示范区人大工委、人大工委党组", C, None),
    ("示范市政协工委", "政协工委", "示范区政协工委、政协工委党组", C, None),
    ("示范市管委会办公室", "管委会办公室", "管委会办、政府办公室", G, None),
    ("示范市发展和改革委员会", "发改委", "发展改革委、市发改委、发展改革部门", G, None),
    ("示范市财政局", "财政局", "市财政局、财政部门", G, None),
    ("示范市住房和城乡建设局", "住建局", "市住建局、住房城乡建设局、住建部门", G, None),
    ("示范市市场监督管理局", "市场监管局", "市市场监管局、市场监管部门", G, None),
    ("示范市工业和信息化局", "工信局", "市工信局、工业和信息化部门", G, None),
    ("示范市科学技术局", "科技局", "市科技局、科技部门", G, None),
    ("示范市教育局", "教育局", "市教育局、教育部门", G, None),
    ("示范市卫生健康委员会", "卫健委", "市卫健委、卫生健康部门", G, None),
    ("示范市民政局", "民政局", "市民政局、民政部门", G, None),
    ("示范市人力资源和社会保障局", "人社局", "市人社局、人力资源社会保障局", G, None),
    ("示范市自然资源和规划局", "自然资源局", "市自然资源局、自然资源部门", G, None),
    ("示范市生态环境局", "生态环境局", "市生态环境局、环保局、生态环境部门", G, None),
    ("示范市交通运输局", "交通局", "市交通运输局、交通运输部门", G, None),
    ("示范市农业农村局", "农业农村局", "市农业农村局、农业农村部门", G, None),
    ("示范市应急管理局", "应急局", "市应急管理局、应急管理部门", G, None),
    ("示范市商务局", "商务局", "市商务局", G, None),
    ("示范市政务服务和大数据管理局", "政务服务局", "市政务服务局、大数据局、营商环境办", G, None),
    ("示范市统计局", "统计局", "市统计局", G, None),
    ("示范市信访局", "信访局", "市信访局、信访部门", G, None),
    ("示范市公安局", "公安局", "市公安局、公安部门", G, None),
    ("示范市城市建设投资集团", "城投集团", "市城投公司、城投公司", S, None),
    ("东城街道", "东城街道", "东城街道办事处", T, None),
    ("西城街道", "西城街道", "西城街道办事处", T, None),
    ("北山镇", "北山镇", "北山镇政府", T, None),
    ("南河镇", "南河镇", "南河镇政府", T, None),
    ("青石镇", "青石镇", "青石镇政府", T, None),
]

# username, name, unit (short name), role, title, oversees (short names), sees all
PEOPLE: list[tuple[str, str, str | None, str, str, tuple[str, ...], bool]] = [
    ("admin", "系统管理员", "管委会办公室", Role.ADMIN, "信息科科长", (), False),
    ("duchaju", "周明远", "督查局", Role.SUPERVISOR, "局长", (), False),
    ("duchayuan", "陈思齐", "督查局", Role.SUPERVISOR, "督查一科科长", (), False),
    ("duchayuan2", "刘晓岚", "督查局", Role.SUPERVISOR, "督查二科副科长", (), False),
    ("dangban", "赵立新", "党工委办公室", Role.SUPERVISOR, "副主任", (), False),
    ("shuji", "林正华", None, Role.LEADER, "党工委书记", (), True),
    ("zhuren", "王建国", None, Role.LEADER, "管委会主任", (), True),
    ("fuzhuren_jing", "孙志强", None, Role.LEADER, "管委会副主任（分管经济）",
     ("发改委", "财政局", "工信局", "商务局", "统计局", "政务服务局", "市场监管局", "城投集团"), False),
    ("fuzhuren_cheng", "何丽萍", None, Role.LEADER, "管委会副主任（分管城建）",
     ("住建局", "自然资源局", "交通局", "生态环境局", "应急局"), False),
    ("fuzhuren_she", "郑海燕", None, Role.LEADER, "管委会副主任（分管社会事业）",
     ("教育局", "卫健委", "民政局", "人社局", "农业农村局"), False),
    ("weiyuan_xuan", "黄文博", None, Role.LEADER, "党工委委员、宣传部部长", ("宣传部", "党校", "统战部"), False),
    ("weiyuan_zheng", "马立军", None, Role.LEADER, "党工委委员、政法委书记", ("政法委", "公安局", "信访局"), False),
]
# One liaison for each of these units: username, name, unit (short name)
LIAISONS: list[tuple[str, str, str]] = [
    ("dangban_ll", "吴晓东", "党工委办公室"), ("zzb_ll", "钱佳怡", "组织部"), ("xcb_ll", "冯雨轩", "宣传部"),
    ("dx_ll", "蒋文静", "党校"), ("rd_ll", "沈一鸣", "人大工委"), ("zx_ll", "韩冬梅", "政协工委"),
    ("fgw", "杨帆", "发改委"), ("czj", "朱婷婷", "财政局"), ("zjj", "秦浩然", "住建局"),
    ("scjgj", "许宁", "市场监管局"), ("gxj", "何俊杰", "工信局"), ("kjj", "吕雪", "科技局"),
    ("jyj", "施嘉豪", "教育局"), ("wjw", "张敏", "卫健委"), ("mzj", "孔祥瑞", "民政局"),
    ("rsj", "曹颖", "人社局"), ("zrzyj", "严志伟", "自然资源局"), ("sthjj", "华晨", "生态环境局"),
    ("jtj", "金鑫", "交通局"), ("nyncj", "魏丽", "农业农村局"), ("yjj", "陶然", "应急局"),
    ("swj", "姜楠", "商务局"), ("zwfwj", "戚小雨", "政务服务局"), ("xfj", "谢伟", "信访局"),
    ("gaj", "邹鹏", "公安局"), ("ctjt", "喻琳", "城投集团"), ("dongcheng", "柏青", "东城街道"),
    ("beishan", "水建平", "北山镇"),
]


@transaction.atomic
def load(**_context) -> dict:
    """Create the directory if it is not there; leave alone whatever is (a second run changes
    nothing, and an administrator's edits survive)."""
    by_short: dict[str, Unit] = {}
    created_units = 0
    for order, (name, short, aliases, kind, parent) in enumerate(UNITS, start=1):
        unit, created = Unit.objects.get_or_create(
            name=name,
            defaults={"short_name": short, "aliases": aliases, "kind": kind, "sort_order": order * 10},
        )
        created_units += created
        by_short[short] = unit
        by_short[name] = unit
    for name, _short, _aliases, _kind, parent in UNITS:
        unit = by_short[name]
        if parent and unit.parent_id is None:
            unit.parent = by_short[parent]
            unit.save(update_fields=["parent"])

    created_people = 0
    # One hash for every demo account: hashing forty times would make the first load slow.
    from django.contrib.auth.hashers import make_password

    password_hash = make_password(DEMO_PASSWORD)
    rows = [(u, n, unit, role, title, oversees, all_) for u, n, unit, role, title, oversees, all_ in PEOPLE]
    rows += [(u, n, unit, Role.LIAISON, "联络员", (), False) for u, n, unit in LIAISONS]
    for order, (username, name, unit, role, title, oversees, sees_all) in enumerate(rows, start=1):
        if User.objects.filter(username=username).exists():
            continue
        person = User(
            username=username,
            name=name,
            unit=by_short[unit] if unit else None,
            role=role,
            title=title,
            phone=f"0391-66{order:05d}",
            email=f"{username}@example.invalid",
            sees_all_units=sees_all,
            sort_order=order,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        person.password = password_hash
        person.save()
        if oversees:
            person.oversees.set([by_short[s] for s in oversees])
        created_people += 1
    return {"units": created_units, "people": created_people}


def logins() -> list[tuple[str, str, str]]:
    """(role, username, who) for the demo's printed login list: one of each role, then more."""
    return [
        ("管理员", "admin", "系统管理员"),
        ("督查员", "duchaju", "周明远 · 督查局局长"),
        ("督查员", "duchayuan", "陈思齐 · 督查一科"),
        ("领导（全部）", "shuji", "林正华 · 党工委书记"),
        ("领导（分管）", "fuzhuren_jing", "孙志强 · 分管经济的副主任"),
        ("单位联络员", "fgw", "杨帆 · 发改委"),
        ("单位联络员", "scjgj", "许宁 · 市场监管局"),
        ("单位联络员", "xcb_ll", "冯雨轩 · 宣传部"),
    ]
