from urllib.parse import urlencode

from django import template
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from luoshi.core.i18n import gettext as fill_gettext
from luoshi.core.i18n import gettext_noop
from luoshi.indicators.services import fmt_number

register = template.Library()


@register.filter
def num(value):
    """A value without float noise (3.5, 12, 0.25); — when missing."""
    return fmt_number(value)


@register.filter
def score(value):
    return "—" if value is None else f"{value:.1f}"


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


@register.simple_tag
def flag_badge(flag):
    """A flag's badge, its reason as the tooltip. A tag rather than an included template: the set's
    pages show one per flag, hundreds of them, and an include costs a template render each. The
    markup ends with the line break the included template had, so the pages are unchanged."""
    if flag.kind == "weak":
        word = gettext("落后")
    elif flag.kind == "drop":
        word = gettext("下降")
    elif flag.kind == "volatile":
        word = gettext("过山车")
    else:
        word = gettext("未达目标")
    return format_html('<span class="badge flag-{}" title="{}">{}</span>\n', flag.kind, flag.reason, word)


@register.simple_tag
def composite_table_rows(rows) -> str:
    """The set overview's ranking rows (one per entity, hundreds at county scale) in one pass: the
    labels translated once per page, each row one string; the markup the template wrote before."""
    labels = [escape(gettext(s)) for s in ("排名", "主体", "综合得分", "方阵", "有数据指标", "较上期")]
    l_rank, l_entity, l_composite, l_tier, l_covered, l_change = labels
    # Outside the f-string: xgettext does not look inside one, and the catalogue would lose it.
    ours = escape(gettext("本市"))
    badge = f' <span class="badge">{ours}</span>'
    out = []
    for r in rows:
        us = ' class="us"' if r["is_us"] else ""
        out.append(
            f"<tr{us}>"
            f'\n      <td data-label="{l_rank}">{escape(localize(r["rank"])) if r["rank"] else "—"}</td>'
            f'\n      <td data-label="{l_entity}">{escape(r["entity"])}{badge if r["is_us"] else ""}</td>'
            f'\n      <td data-label="{l_composite}">{escape(score(r["composite"]))}</td>'
            f'\n      <td data-label="{l_tier}">{escape(r["tier_label"])}</td>'
            f'\n      <td data-label="{l_covered}">{escape(localize(r["covered"]))}/{escape(localize(r["n_indicators"]))}</td>'
            f'\n      <td data-label="{l_change}">{escape(signed(r["change"]))}</td></tr>'
        )
    return mark_safe("".join(out))
