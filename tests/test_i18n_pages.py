"""The English UI is complete: the main pages of the demo and the API's refusals, read in English,
hold no Chinese character outside the data (the names of units, people, tasks, directives,
indicators, projects and companies, which are what the office typed). Every label, period name,
unit of measure and generated reason must be English."""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from luoshi.api.services import token_create
from luoshi.directives.models import Directive
from luoshi.orgs.models import User
from tests.test_supervision_fixtures import make_task, task  # noqa: F401

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
# Citable numbers and document numbers are identifiers, quoted as issued: 〔2026〕3-1.2, 〔2026〕零-5,
# 示范督查〔2026〕5号. The language switcher names each language in itself (中文).
TRUNCATED = re.compile(r"([\u3400-\u9fff“][^|\n]*)…")
IDENTIFIERS = re.compile(r"[\u4e00-\u9fff]{0,8}〔\d{4}〕(?:(?:\d+|零)-\d+(?:\.\d+)*|\d+号)|中文")
# Fields that hold what people typed (names, titles, texts), per model label. Generated fields
# (stored period labels, reasons, numbers) are not here: they must be shown in English.
DATA_FIELDS = {
    "orgs.unit": ("name", "short_name", "aliases"),
    "orgs.user": ("first_name", "last_name", "name", "title"),
    "tasks.task": ("title", "measures", "target_text", "source_text", "tags", "deadline_text"),
    "tasks.progressreport": ("progress", "problems", "next_steps"),
    "tasks.milestone": ("description",),
    "tasks.instruction": ("text",),
    "tasks.extensionrequest": ("reason", "decision_note"),
    "tasks.tasktransition": ("reason", "evidence"),
    "directives.directive": ("title", "issuer", "text"),
    "directives.item": ("title", "measures", "target_text", "section", "lead_leader_text", "deadline_text"),
    "supervision.supervisionaction": ("reason", "reply", "close_note"),
    "supervision.actionevent": ("note",),
    "supervision.escalationproposal": ("reason", "decision_note"),
    "supervision.reviewround": ("title", "instructions"),
    "supervision.reviewitem": ("note",),
    "supervision.message": ("title", "body"),
    "indicators.indicatorset": ("name", "description"),
    "indicators.indicator": ("code", "name", "category", "measure_unit"),
    "indicators.entity": ("name",),
    "projects.stage": ("name",),
    "projects.batch": ("name",),
    "projects.project": ("name", "content", "location", "industry"),
    "projects.monthlyreport": ("image_progress", "problems"),
    "requests.request": ("company_name", "contact_name", "title", "description", "solution", "reply", "decline_reason"),
    "requests.callback": ("reason",),
    "reports.bulletin": ("title", "recipients", "body", "issuer", "cc"),
    # Written once, in the language of the page that started the job (its notice, its summary).
    "orgs.jobrun": ("title", "input_name", "result_name", "error"),
}
PAGES = [
    "/", "/tasks/board/", "/tasks/", "/reports/dashboard/", "/reports/bulletins/", "/directives/", "/indicators/",
    "/supervision/", "/supervision/inbox/", "/supervision/reviews/", "/supervision/scoreboard/", "/projects/", "/requests/",
    "/orgs/units/", "/orgs/people/", "/orgs/jobs/",
]
# One of each detail page, the first the viewer may open.
DETAILS = {
    "tasks.task": "/tasks/{pk}/", "directives.directive": "/directives/{pk}/", "indicators.indicatorset": "/indicators/{pk}/",
    "indicators.indicator": "/indicators/indicator/{pk}/", "supervision.supervisionaction": "/supervision/actions/{pk}/",
    "projects.project": "/projects/{pk}/", "requests.request": "/requests/{pk}/", "reports.bulletin": "/reports/bulletins/{pk}/",
    "orgs.unit": "/orgs/units/{pk}/", "orgs.jobrun": "/orgs/jobs/{pk}/",
}


SKIPPED = ("script", "style", "code")


class VisibleText(HTMLParser):
    """The text a reader sees, and the attributes a screen reader reads (title, aria-label,
    placeholder, alt), without scripts, styles and <code> (what a user types, quoted literally)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)
            if name == "value" and tag in ("input", "button") and dict(attrs).get("type") in ("submit", "button") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(data.strip())


def data_strings() -> list[str]:
    found = set()
    for label, names in DATA_FIELDS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        fields = [f.name for f in model._meta.get_fields() if f.name in names and isinstance(f, (models.CharField, models.TextField))]
        for row in model.objects.values_list(*fields) if fields else ():
            for value in row:
                value = str(value or "")
                # Whole (for a title cut short) and line by line (as a page shows each line).
                for piece in [value, *value.replace("\r", "").split("\n")]:
                    if CJK.search(piece):
                        found.add(piece.strip())
    # Longest first, so a name inside a longer title is removed with the title.
    return sorted((s for s in found if s), key=len, reverse=True)


def leftovers(html: str, data: list[str], sources: tuple[str, ...] = ()) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = IDENTIFIERS.sub(" ", "\n".join(parser.parts))
    # First, before a shorter name inside it is removed: a long title cut short for a breadcrumb,
    # "深化“放管服”改革，推进政务服务“一网…".
    # Identifiers go from text and data alike, so data holding one still matches whole.
    data = sorted({IDENTIFIERS.sub(" ", d).strip() for d in data} - {""}, key=len, reverse=True)
    flat = [re.sub(r"\s", "", d) for d in data]
    text = TRUNCATED.sub(lambda m: " " if any(d.startswith(re.sub(r"\s", "", m.group(1))) for d in flat) else m.group(0), text)
    for value in data:
        text = text.replace(value, " ")
    if sources:
        # The decomposition grid cuts a speech into clauses: any piece of the speech is data there.
        text = CJK.sub(lambda m: " " if any(m.group(0) in source for source in sources) else m.group(0), text)
    # Each leftover with a little of the English around it, so a failure says where it is.
    return sorted({text[max(0, m.start() - 25): m.end() + 25].replace("\n", " | ").strip() for m in CJK.finditer(text)})


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", no_serve=True, stdout=io.StringIO())


def test_it_finds_chinese_left_in_an_english_page():
    html = "<p>Deadline：<b>发改委</b> 3天 〔2026〕3-1.2 <code>一、</code></p><script>var x = '汉字';</script>"
    assert leftovers(html, ["发改委"]) == ["Deadline： |   | 3天"]
    assert leftovers("<p>Due <b>发改委</b> 3 days 〔2026〕3-1.2</p>", ["发改委"]) == []


def test_it_shows_the_main_pages_in_english(demo, client):
    data = data_strings()
    found = {}
    for username in ("supervisor", "leader", "liaison"):
        user = User.objects.filter(role=username).first() if username != "supervisor" else None
        user = user or User.objects.filter(role="supervisor").first()
        client.force_login(user)
        details = []
        for label, pattern in DETAILS.items():
            model = apps.get_model(label)
            rows = model.objects.visible_to(user) if hasattr(model.objects, "visible_to") else model.objects.all()
            # The reddest task and the latest of the rest show the most generated text.
            rows = rows.order_by("-health", "pk") if label == "tasks.task" else rows.order_by("-pk")
            details += [pattern.format(pk=pk) for pk in rows.values_list("pk", flat=True)[:1]]
        for url in PAGES + details:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            sources = tuple(Directive.objects.values_list("text", flat=True)) if url.startswith("/directives/") else ()
            left = leftovers(response.content.decode(), data, sources)
            if left:
                found[f"{username} {url}"] = left
    assert found == {}


@pytest.mark.parametrize("role,method,url,payload", [
    ("supervisor", "get", "/api/tasks/?sort=sideways", None),
    ("supervisor", "get", "/api/tasks/999999", None),
    ("supervisor", "post", "/api/tasks/{pk}/reports", {"percent": 101, "progress": "x"}),
    ("owner", "post", "/api/tasks/{pk}/subtasks", {"title": "x"}),
    ("owner", "post", "/api/tasks/{pk}/extensions", {"new_deadline": "2020-01-01", "reason": "r"}),
    ("supervisor", "post", "/api/supervision/actions", {"kind": "order", "unit_id": 999999, "reason": "r", "task_ids": []}),
    ("supervisor", "post", "/api/reports/bulletins", {"period": "someday"}),
    ("supervisor", "get", "/api/indicators/sets/999999/results", None),
    ("owner", "post", "/api/directives/parse", {"text": "x"}),
])
def test_it_refuses_in_english_through_the_api(client, cast, task, role, method, url, payload):  # noqa: F811
    token = token_create(user=cast[role], name="t")[1]
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}
    if payload is not None:
        kwargs.update(data=json.dumps(payload), content_type="application/json")
    response = getattr(client, method)(url.format(pk=task.pk), **kwargs)
    assert 400 <= response.status_code < 500, response.content
    body = response.content.decode()
    assert json.loads(body).get("detail") and not CJK.search(body), body
