"""The OpenAPI contract (luoshi.api.urls): component names are unique, every operation documents
the errors it can answer, and schemathesis, run against the app's own schema as a supervisor and
as a liaison, finds no server error and no response that breaks the schema.

The fuzzing is bounded (a few examples per operation, no shrinking) so that it costs a few tens
of seconds per database."""

import collections
import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from ninja import Schema
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from luoshi.api.services import token_create
from luoshi.api.urls import ERROR_RESPONSES, WRITE_RESPONSES, api
from luoshi.directives.models import Directive

from .test_reports_world import build

EXAMPLES = 2
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_it_names_every_schema_once():
    modules = collections.defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("luoshi."):
            modules[cls.__name__].add(cls.__module__)
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert "IndicatorTaskOut" in schemas and "TaskOut" in schemas
    assert "assignee" not in schemas["TaskOut"]["properties"] or schemas["TaskOut"] != schemas["IndicatorTaskOut"]


def test_it_documents_every_error_response_of_every_operation():
    schema = api.get_openapi_schema()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {int(code) for code in operation["responses"]}
            expected = set(ERROR_RESPONSES) | (set(WRITE_RESPONSES) if method != "get" else set())
            if not expected <= codes:
                missing.append((method, path, sorted(expected - codes)))
    assert missing == []


@pytest.fixture
def fuzzed_schema(settings):
    """The schema, called through the WSGI app in this thread. Like Django's test client, the
    requests keep the test's database connection: closing it at the end of each request would end
    the test's transaction (PostgreSQL)."""
    settings.ALLOWED_HOSTS = ["*"]
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield loaded
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["supervisor", "owner"])
def test_it_answers_generated_requests_within_the_contract(role, cast, units, fuzzed_schema):
    directive = Directive.objects.create(title="全市优化营商环境大会讲话", issued_on=dt.date(2026, 3, 1), text="……", status="published")
    build(cast, units, directive=directive)
    _record, token = token_create(user=cast[role], name="schemathesis")
    headers = {"Authorization": f"Bearer {token}"}
    failures, calls, operations = [], [], 0
    for result in fuzzed_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
            phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            calls.append(case.call_and_validate(headers=headers, checks=CHECKS).status_code)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {exc}")
    assert failures == [], "\n\n".join(failures)
    # Not vacuous: every operation was called, and some calls got past validation and lookup.
    assert operations > 70 and len(calls) >= 2 * operations
    assert sum(200 <= code < 300 for code in calls) > 10
