"""The set pages' markup, stored with the presentation it was written from.

At county scale (300 entities × 100 indicators × 20 periods) the set's four pages read a few small
stored rows and then spent most of their time writing what those rows hold: 300 ranking rows,
hundreds of flags with their reasons, 2,000 heat-map cells, the charts' data. That part of each
page (the set's header and everything below it) is the same for everyone who sees the same
indicators, so the first view writes it and keeps it (:class:`~luoshi.indicators.models.StoredMarkup`),
and later views read it in the same query as the presentation row.

It can never show stale figures:

* it belongs to the presentation row it was written from, and storing the presentation again (an
  import, a rescore, any change of what the pages derive) deletes it with the rows;
* its ``slot`` names the page, its parameters, the language, the URL prefix and the indicators the
  reader may see (a liaison sees only their unit's), so each reader gets the markup written for
  what they may see;
* its ``digest`` covers everything else it was written from that is not in the presentation: every
  field of the set, of its indicators and their responsible units, of 本市 and of the periods (an
  indicator renamed, a unit renamed, a period relabelled), the templates and the modules that write
  the markup, the language's catalogue and number format. A different digest writes it again.

What depends on the reader beyond the indicators they see: the header's import and settings
buttons are for those who may manage the set, so the slot names that too (one markup for them, one
for everyone else); the indicator table's last column (the open task, which changes without a
rescore, and the supervisor's "转为任务" form with its CSRF token) is cut out of the stored markup
and written on every view. The rest of the page (the top bar with the reader's name and unread
count, the CSRF token) is the frame every page writes per request.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import importlib
import marshal
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, trans_real

from .models import StoredMarkup

# Raised whenever what is stored changes shape.
FORMAT = 1

# Pages whose markup is stored, and the templates writing it (the digest reads their source).
TEMPLATES = {
    "overview": "indicators/_overview_body.html",
    "table": "indicators/_table_body.html",
    "heatmap": "indicators/_heatmap_body.html",
    "trend": "indicators/_trend_body.html",
}
# What they include.
INCLUDED = ("indicators/_header.html",)
# The modules that build the stored part's context or write its markup.
MODULES = ("luoshi.indicators.views", "luoshi.indicators.presenters", "luoshi.indicators.templatetags.indicator_tags",
           "luoshi.indicators.fragments", "luoshi.indicators.models")

# Turned off, every page is written as before, nothing stored or read (tests compare the two).
ENABLED = True

_code: dict[str, bytes] = {}


def _hash(value) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def code_digest(language: str) -> bytes:
    """What writes the markup besides the data, in ``language``: the templates, the modules, the
    catalogue and the number format. Once per process (a deploy restarts it); with DEBUG on, where
    templates are edited under a running server, on every request."""
    if language in _code and not settings.DEBUG:
        return _code[language]
    h = hashlib.blake2b(digest_size=16)
    for name in sorted((*TEMPLATES.values(), *INCLUDED)):
        h.update(get_template(name).template.source.encode())
    for module in MODULES:
        with open(importlib.import_module(module).__file__, "rb") as f:
            h.update(f.read())
    h.update(repr(sorted(trans_real.translation(language)._catalog.items(), key=repr)).encode())
    h.update(repr((localize(1234567), localize(-12), localize(1234.5))).encode())
    _code[language] = h.digest()
    return _code[language]


def _fields(obj) -> tuple:
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)


def key(page: str, *, indicator_set, indicators, entities, periods, visible, params: Iterable = ()) -> tuple[str, str] | None:
    """(slot, digest) of ``page`` for a reader who sees ``visible``, with ``params`` the request's
    parameters the stored part depends on (already checked to be ones the page knows).
    ``indicators`` are the set's rows as read (``evaluation.IndicatorRow``: every column of the
    indicator and of its responsible unit)."""
    if not ENABLED:
        return None
    language = get_language()
    slot = _hash((FORMAT, page, language, get_urlconf(), get_script_prefix(), tuple(params), tuple(i.pk for i in visible)))
    written_from = (
        code_digest(language), _fields(indicator_set), [_fields(e) for e in entities], [_fields(p) for p in periods],
        [tuple(i) for i in indicators],
    )
    # The digest of what the set's pages were last written from, kept per set: comparing a hundred
    # indicators' columns with those costs far less than writing them out and hashing them again.
    last = _digests.get(indicator_set.pk)
    if last is not None and last[0] == written_from:
        return slot, last[1]
    digest = _hash(written_from)
    # A copy: what a page does with the rows it read afterwards cannot change what is kept.
    _digests[indicator_set.pk] = (copy.deepcopy(written_from), digest)
    return slot, digest


_digests: dict[int, tuple] = {}


def body(request, ev, page: str, build: Callable[[], dict], cell: Callable | None = None) -> SafeString:
    """The page's content (the set's header and all below it): the stored markup when ``ev`` (the
    page's presentation) brought it, else written from ``build()`` and stored. ``cell(pk, may_task)`` writes the
    per-request cells the indicator table leaves out of its stored markup."""
    if ev.fragment is not None:
        parts, slots = ev.fragment
    elif ev.fragment_row is None:
        # Not stored (an unusual parameter, no period, or turned off): written as it always was.
        return mark_safe(_render(request, TEMPLATES[page], build()))
    else:
        parts, slots = _split(request, TEMPLATES[page], build(), cut=cell is not None)
        _store(ev.fragment_row, ev.fragment_key, marshal.dumps((parts, slots)))
    if not slots:
        return mark_safe(parts[0])
    out = [parts[0]]
    for (pk, may_task), part in zip(slots, parts[1:]):
        out.append(cell(pk, may_task))
        out.append(part)
    return mark_safe("".join(out))


def _render(request, template: str, context: dict) -> str:
    # As plain str (the template answers a SafeString, which marshal does not store).
    return "".join([get_template(template).template.render(Context({**context, "request": request}))])


def _split(request, template: str, context: dict, *, cut: bool) -> tuple[tuple[str, ...], tuple]:
    """The markup and where the per-request cells go: the tag that writes them writes a marker no
    data can contain (random per rendering) and notes each cell's (indicator pk, may_task)."""
    if not cut:
        return (_render(request, template, context),), ()
    marker, slots = secrets.token_hex(16), []
    html = _render(request, template, {**context, "fragment_cells": (marker, slots)})
    parts = tuple(html.split(marker))
    assert len(parts) == len(slots) + 1
    return parts, tuple(slots)


def _store(row: int, fragment_key: tuple[str, str], markup: bytes) -> None:
    slot, digest = fragment_key
    try:
        with transaction.atomic():
            StoredMarkup.objects.bulk_create(
                [StoredMarkup(presentation_id=row, slot=slot, digest=digest, markup=markup, written_at=timezone.now())],
                update_conflicts=True, unique_fields=["presentation", "slot"], update_fields=["digest", "markup", "written_at"],
            )
    except IntegrityError:
        pass  # the presentation was stored again meanwhile: the next view writes the markup for it


def prune(*, now: dt.datetime) -> int:
    """Delete the markup written more than STORED_MARKUP_DAYS before ``now`` (the daily sweep).

    Each period, sort, language and kind of reader keeps a markup of its own (a county heat map is
    ~180 kB), so the rows grow with what readers open until the next import deletes them; a page
    opened again after pruning is written afresh, as on its first view after an import."""
    old = StoredMarkup.objects.filter(written_at__lt=now - dt.timedelta(days=settings.STORED_MARKUP_DAYS))
    return old.delete()[0]
