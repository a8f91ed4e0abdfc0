"""The English UI is complete: the main pages of the demo and the API's refusals, read in English,
hold no Chinese character outside the data (the names of units, people, tasks, directives,
indicators, projects and companies, which are what the office typed). Every label, period name,
unit of measure and generated reason must be English."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from luoshi.api.services import token_create
from luoshi.orgs.models import User

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
# Fields that hold what people typed (names, titles, texts), per model label. Generated fields
# (stored period labels, reasons, numbers) are not here: they must be shown in English.
DATA_FIELDS = {
    "orgs.unit": ("name", "short_name", "aliases"),
    "orgs.user": ("first_name", "last_name", "name", "title"),
    "tasks.task": ("title", "measures", "target_text", "source_text", "tags", "closure_evidence"),
    "tasks.progressreport": ("progress", "problems", "next_steps"),
    "tasks.milestone": ("description",),
    "tasks.instruction": ("text",),
    "tasks.extensionrequest": ("reason", "note"),
    "tasks.tasktransition": ("note", "reason"),
    "directives.directive": ("title", "issuer", "text"),
    "directives.item": ("title", "measures", "target_text", "source_text", "section", "raw_lead", "raw_co"),
    "supervision.supervisionaction": ("reason", "reply", "note", "close_note"),
    "supervision.escalationproposal": ("reason", "note"),
    "supervision.reviewround": ("title", "instructions"),
    "supervision.reviewitem": ("note",),
    "supervision.message": ("title", "body"),
    "indicators.indicatorset": ("name", "description"),
    "indicators.indicator": ("code", "name", "category", "measure_unit", "note"),
    "indicators.entity": ("name",),
    "projects.project": ("name", "content", "location", "builder", "batch", "stage_note"),
    "projects.projectmonth": ("progress", "problems"),
    "requests.request": ("company_name", "contact_name", "title", "description", "solution", "callback_note", "decline_reason"),
    "reports.bulletin": ("title", "recipients", "body", "issuer", "cc", "printed_by"),
}
PAGES = [
    "/", "/tasks/board/", "/tasks/", "/reports/dashboard/", "/reports/bulletins/", "/directives/", "/indicators/",
    "/supervision/", "/supervision/inbox/", "/supervision/reviews/", "/supervision/scoreboard/", "/projects/", "/requests/",
    "/orgs/units/", "/orgs/people/",
]
# One of each detail page, the first the viewer may open.
DETAILS = {
    "tasks.task": "/tasks/{pk}/", "directives.directive": "/directives/{pk}/", "indicators.indicatorset": "/indicators/{pk}/",
    "indicators.indicator": "/indicators/indicator/{pk}/", "supervision.supervisionaction": "/supervision/actions/{pk}/",
    "projects.project": "/projects/{pk}/", "requests.request": "/requests/{pk}/", "reports.bulletin": "/reports/bulletins/{pk}/",
    "orgs.unit": "/orgs/units/{pk}/",
}


class VisibleText(HTMLParser):
    """The text a reader sees, and the attributes a screen reader reads (title, aria-label,
    placeholder, alt), without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)
            if name == "value" and tag in ("input", "button") and dict(attrs).get("type") in ("submit", "button") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
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
                for piece in str(value or "").replace("\r", "").split("\n"):
                    if CJK.search(piece):
                        found.add(piece.strip())
    # Longest first, so a name inside a longer title is removed with the title.
    return sorted((s for s in found if s), key=len, reverse=True)


def leftovers(html: str, data: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in data:
        text = text.replace(value, " ")
    return sorted(set(CJK.findall(text)))


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", no_serve=True, stdout=open("/dev/null", "w"))


def test_it_finds_chinese_left_in_an_english_page():
    html = "<p>Deadline：<b>发改委</b> 3天</p><script>var x = '中文';</script>"
    assert leftovers(html, ["发改委"]) == ["天", "："]


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
            left = leftovers(response.content.decode(), data)
            if left:
                found[f"{username} {url}"] = left
    import json; pathlib_out = open("/tmp/office_i18n.json", "w"); json.dump(found, pathlib_out, ensure_ascii=False, indent=0); pathlib_out.close()
    assert found == {}
