from html import escape as html_escape
from urllib.parse import quote as urlquote
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from luoshi.core.i18n import gettext as fill_gettext
from luoshi.core.i18n import gettext_noop
from luoshi.indicators.models import Direction
from luoshi.indicators.services import fmt_number

register = template.Library()


@register.filter
def num(value):
    """A value without float noise (3.5, 12, 0.25); — when missing."""
    return fmt_number(value)


@register.filter
def score(value):
    # "" is what a template passes for a missing variable (本市 without data that period).
    return "—" if value is None or value == "" else f"{value:.1f}"


@register.filter
def signed(value):
    """A change in places: +3 (up), −2 (down), 0; — when unknown."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{fmt_number(value)}"
    if value < 0:
        return f"−{fmt_number(-value)}"
    return "0"


@register.simple_tag(takes_context=True)
def sort_link(context, column, label):
    """A column header that sorts by `column` (a second click flips the order)."""
    request = context["request"]
    current = context.get("sort", "")
    new = f"-{column}" if current == column else column
    params = request.GET.copy()
    params["sort"] = new
    arrow = " ▲" if current == column else (" ▼" if current == f"-{column}" else "")
    return format_html('<a href="?{}" class="sort">{}{}</a>', urlencode(sorted(params.items())), label, arrow)


@register.simple_tag(takes_context=True)
def with_period(context, key):
    params = context["request"].GET.copy()
    params["period"] = key
    return "?" + urlencode(sorted(params.items()))


@register.filter
def pk_of(by_code, code):
    """The pk of the indicator `code` in an evaluation's {code: Indicator}."""
    ind = by_code.get(code) if by_code else None
    return ind.pk if ind is not None else 0


# Units of measure that statistics files write in Chinese, named in the reader's language.
MEASURE_UNITS = {
    "天": gettext_noop("天"), "个工作日": gettext_noop("个工作日"), "工作日": gettext_noop("工作日"),
    "小时": gettext_noop("小时"), "分": gettext_noop("分"), "分钟": gettext_noop("分钟"), "个": gettext_noop("个"),
    "项": gettext_noop("项"), "次": gettext_noop("次"), "件": gettext_noop("件"), "元": gettext_noop("元"),
    "万元": gettext_noop("万元"), "亿元": gettext_noop("亿元"), "户": gettext_noop("户"), "家": gettext_noop("家"),
}


@register.filter
def measure(unit):
    """A unit of measure in the reader's language (天 → days); other units as written."""
    unit = (unit or "").strip()
    return fill_gettext(MEASURE_UNITS[unit]) if unit in MEASURE_UNITS else unit


def _escape(text) -> str:
    """What django.utils.html.escape writes (it is html.escape), without its lazy-string wrapper,
    which costs more than the escaping on pages of thousands of cells."""
    return html_escape(str(text))


def _badge_words() -> dict[str, str]:
    return {"weak": gettext("落后"), "drop": gettext("下降"), "volatile": gettext("过山车"), "target": gettext("未达目标")}


def _badge(flag, words: dict[str, str]) -> str:
    word = words.get(flag.kind, words["target"])
    return f'<span class="badge flag-{_escape(flag.kind)}" title="{_escape(flag.reason)}">{_escape(word)}</span>\n'


def _badges():
    """flag → its badge, the words translated once (a page shows hundreds)."""
    words = _badge_words()
    return lambda flag: _badge(flag, words)


@register.simple_tag
def flag_badge(flag):
    """A flag's badge, its reason as the tooltip. A tag rather than an included template: the set's
    pages show one per flag, hundreds of them, and an include costs a template render each. The
    markup ends with the line break the included template had, so the pages are unchanged."""
    return mark_safe(_badge(flag, _badge_words()))


def _detail_links(period):
    """pk → the indicator's page, and the query naming ``period``, as the templates wrote them."""
    return _indicator_urls("indicators:indicator"), f"?period={_escape(urlquote(period))}"


def _integers():
    """int → as a template variable writes it. Without a thousands separator that is str(); asked
    of localize once per page rather than of every number (the heat map writes four thousand)."""
    if localize(1234567) == "1234567" and localize(-12) == "-12":
        return str
    return lambda value: _escape(localize(value))


@register.simple_tag
def composite_table_rows(rows) -> str:
    """The set overview's ranking rows (one per entity, hundreds at county scale) in one pass: the
    labels translated once per page, each row one string; the markup the template wrote before."""
    labels = [_escape(gettext(s)) for s in ("排名", "主体", "综合得分", "方阵", "有数据指标", "较上期")]
    l_rank, l_entity, l_composite, l_tier, l_covered, l_change = labels
    # Outside the f-string: xgettext does not look inside one, and the catalogue would lose it.
    ours = _escape(gettext("本市"))
    badge = f' <span class="badge">{ours}</span>'
    n = _integers()
    out = []
    for r in rows:
        us = ' class="us"' if r["is_us"] else ""
        out.append(
            f"<tr{us}>"
            f'\n      <td data-label="{l_rank}">{n(r["rank"]) if r["rank"] else "—"}</td>'
            f'\n      <td data-label="{l_entity}">{_escape(r["entity"])}{badge if r["is_us"] else ""}</td>'
            f'\n      <td data-label="{l_composite}">{_escape(score(r["composite"]))}</td>'
            f'\n      <td data-label="{l_tier}">{_escape(r["tier_label"])}</td>'
            f'\n      <td data-label="{l_covered}">{n(r["covered"])}/{n(r["n_indicators"])}</td>'
            f'\n      <td data-label="{l_change}">{_escape(signed(r["change"]))}</td></tr>'
        )
    return mark_safe("".join(out))


# The set's other pages hold a hundred indicators each (a county-scale set): their rows are written
# in one pass as well, each tag writing the markup its template wrote, labels translated once.


def _indicator_urls(name: str):
    """pk → the URL ``name`` reverses to for it, with one reverse per page instead of one per row."""
    marker = "2147483647"
    head, _sep, tail = reverse(name, args=[int(marker)]).rpartition(marker)
    return lambda pk: f"{head}{pk}{tail}"


@register.simple_tag
def heat_rows(rows) -> str:
    """The heat map's rows: one per indicator, a cell per period (two thousand at county scale)."""
    url = _indicator_urls("indicators:indicator")
    _n = _integers()
    out = []
    for row in rows:
        ind = row["indicator"]
        cells = "".join(
            f'<td class="{"tier-" + _n(c["tier"]) if c["tier"] else ""}{" weak" if c["weak"] else ""}">'
            f'{_n(c["rank"]) if c["rank"] else "—"}</td>'
            for c in row["cells"]
        )
        out.append(f'<tr>\n      <th scope="row"><a href="{_escape(url(ind.pk))}">{_escape(ind.label)}</a></th>\n      {cells}\n    </tr>')
    return mark_safe("".join(out))


@register.simple_tag
def tier_table_rows(tiers, period) -> str:
    """The overview's tiers, each with the links to its indicators (all of them, between the tiers)."""
    url, query = _detail_links(period)
    l_tier, l_count, l_ind = (_escape(gettext(s)) for s in ("方阵", "指标数", "指标"))
    sep = _escape(gettext("、"))
    _n = _integers()
    out = []
    for t in tiers:
        links = sep.join(f'<a href="{_escape(url(i.pk))}{query}">{_escape(i.label)}</a>' for i in t["indicators"])
        out.append(
            f'<tr class="{"tier-" + _n(t["tier"]) if t["tier"] else ""}">'
            f'\n      <td data-label="{l_tier}">{_escape(t["label"])}</td><td data-label="{l_count}">{_n(t["count"])}</td>'
            f'\n      <td data-label="{l_ind}">{links}</td></tr>'
        )
    return mark_safe("".join(out))


@register.simple_tag
def flag_table_rows(rows, period) -> str:
    """The overview's flagged indicators, their badges and reasons."""
    url, query = _detail_links(period)
    l_ind, l_flag, l_reason = (_escape(gettext(s)) for s in ("指标", "提示", "说明"))
    composite = _escape(gettext("综合排名"))
    sep = _escape(gettext("；"))
    badge = _badges()
    out = []
    for row in rows:
        ind = row["indicator"]
        name = f'<a href="{_escape(url(ind.pk))}{query}">{_escape(row["label"])}</a>' if ind else f"<strong>{composite}</strong>"
        badges = "".join(f"{badge(f)} " for f in row["flags"])
        reasons = sep.join(_escape(f.reason) for f in row["flags"])
        out.append(
            f"<tr>\n      <td data-label=\"{l_ind}\">{name}</td>\n      <td data-label=\"{l_flag}\">{badges}</td>"
            f"\n      <td data-label=\"{l_reason}\">{reasons}</td>\n    </tr>"
        )
    return mark_safe("".join(out))


@register.simple_tag
def indicator_options(indicators, chosen) -> str:
    """The trend's choice of indicator."""
    picked = chosen.pk if chosen else None
    return mark_safe("".join(
        f'<option value="{_escape(i.code)}"{" selected" if i.pk == picked else ""}>{_escape(i.label)}</option>' for i in indicators
    ))


def task_cells(*, period, can_manage, csrf_token):
    """(indicator, its open task link or None, may a task be made of it?, its name, its responsible
    unit's name) → the indicator table's last cell: the open task, the "转为任务" form for a supervisor, else —. Written on every view:
    the open task changes without a rescore, and the form carries the reader's CSRF token."""
    make_task = _indicator_urls("indicators:indicator_task")
    hidden_period = _escape(period)
    csrf = (format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
            if csrf_token and csrf_token != "NOTPROVIDED" else "")
    confirm, to_task = gettext("将“%(n)s”转为%(u)s的任务并发布？"), _escape(gettext("转为任务"))

    def cell(ind, link, may_task, name, responsible) -> str:
        if link:
            text = f"{_escape(link.task.citation)} {_escape(link.task.get_status_display())}"
            return (f'<a href="{_escape(link.url)}">{text}</a>' if link.url else text) + "\n      "
        if can_manage and may_task and ind.responsible_unit_id:
            ask = confirm % {"n": _escape(name), "u": _escape(responsible)}
            return (f'<form method="post" action="{_escape(make_task(ind.pk))}" class="inline">{csrf}'
                    f'<input type="hidden" name="period" value="{hidden_period}"><button type="submit" class="secondary small" '
                    f'data-confirm="{ask}">{to_task}</button></form>\n      ')
        return "—"
    return cell


@register.simple_tag(takes_context=True)
def indicator_table_rows(context, rows) -> str:
    """The indicator table's rows (one per indicator), with the task button where one may be made.
    When the markup is to be stored (``fragment_cells`` in the context: a marker and a list), each
    row's last cell is left to :func:`task_cells` on every view: the marker stands in its place and
    the list notes the row's (indicator pk, may_task)."""
    period = context.get("period")
    detail, query = _detail_links(period)
    # Unescaped, as the template's {% translate … as … %} kept them (its catalogue is trusted).
    labels = [gettext(s) for s in ("指标", "责任单位", "本市数值", "得分", "排名", "较上期", "目标", "需变化", "提示", "任务")]
    l0, l1, l2, l3, l4, l5, l6, l7, l8, l9 = labels
    cut = context.get("fragment_cells")
    cell = None if cut else task_cells(period=period, can_manage=context.get("can_manage"), csrf_token=context.get("csrf_token"))
    directions = {value: _escape(str(label)) for value, label in Direction.choices}
    top, reach = gettext("前%(k)s名"), gettext("达到 %(v)s %(u)s")
    already = _escape(gettext("已达到"))
    units: dict[str, str] = {}
    _n, badge = _integers(), _badges()
    out = []
    for r in rows:
        ind = r["indicator"]
        unit = ind.measure_unit
        if unit not in units:
            units[unit] = _escape(measure(unit))
        category = f'<br><small class="muted">{_escape(r["category"])}</small>' if r["category"] else ""
        value = _escape(fmt_number(r["value"])) + (f" {units[unit]}" if r["value"] is not None else "")
        rank = f'<span class="rank tier-{_n(r["tier"])}">{_n(r["rank"])}</span>' if r["rank"] else "—"
        gap = r["gap"]
        if gap is not None and gap.status == "needs_change":
            needed = (f'{_escape(signed(gap.change))} {units[unit]}<br><small class="muted">'
                      f'{reach % {"v": _escape(fmt_number(gap.required_value)), "u": _escape(unit)}}</small>')
        elif gap is not None and gap.already:
            needed = already
        else:
            needed = "—"
        flags = "".join(f"<div>{badge(f)} {_escape(f.reason)}</div>" for f in r["flags"]) or "—"
        if cut:
            task = cut[0]
            cut[1].append((ind.pk, bool(r["may_task"])))
        else:
            task = cell(ind, r["link"], r["may_task"], r["name"], r["responsible"])
        out.append(
            f'<tr class="{"weak" if r["weak"] else ""}">'
            f'\n    <td data-label="{l0}"><a href="{_escape(detail(ind.pk))}{query}">{_escape(r["name"])}</a>{category}</td>'
            f'\n    <td data-label="{l1}">{_escape(r["responsible"] or "—")}</td>'
            f'\n    <td data-label="{l2}">{value}<br><small class="muted">{directions.get(ind.direction, _escape(ind.direction))}</small></td>'
            f'\n    <td data-label="{l3}">{_escape(score(r["score"]))}</td>'
            f'\n    <td data-label="{l4}">{rank}</td>'
            f'\n    <td data-label="{l5}">{_escape(signed(r["rank_change"]))}</td>'
            f'\n    <td data-label="{l6}">{top % {"k": _n(r["target"])}}</td>'
            f'\n    <td data-label="{l7}">{needed}</td>'
            f'\n    <td data-label="{l8}">{flags}</td>'
            f'\n    <td data-label="{l9}">{task}</td>'
            f"\n  </tr>"
        )
    return mark_safe("".join(out))
