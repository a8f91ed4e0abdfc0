import pytest
from django.db import connection

from luoshi.core import bulk
from luoshi.supervision.models import Message

pytestmark = pytest.mark.skipif(not bulk.supported(), reason="set-based inserts are PostgreSQL's")


def test_it_inserts_every_row_with_constants_and_defaults(db):
    rows = bulk.insert_rows(
        Message, {"key": ["a:1", "a:2"], "kind": ["deadline", "report_due"], "title": ["一", "二"]}, {"run": "r1"},
        returning=("id", "key"),
    )
    assert sorted(key for _id, key in rows) == ["a:1", "a:2"]
    made = {m.key: m for m in Message.objects.all()}
    assert made["a:2"].kind == "report_due" and made["a:2"].title == "二"
    assert made["a:1"].run == "r1" and made["a:1"].body == "" and made["a:1"].created_at is not None


def test_it_skips_taken_keys_and_returns_only_what_it_inserted(db):
    Message.objects.create(key="b:1", kind="deadline", title="旧")
    rows = bulk.insert_rows(Message, {"key": ["b:1", "b:2"], "kind": ["deadline"] * 2, "title": ["新", "新"]},
                            skip_conflicts_on="key", returning=("key",))
    assert rows == [("b:2",)]
    assert Message.objects.get(key="b:1").title == "旧"


def test_it_refuses_columns_of_different_lengths(db):
    with pytest.raises(ValueError):
        bulk.insert_rows(Message, {"key": ["c:1"], "title": []})
    assert connection.vendor == "postgresql" and not Message.objects.exists()


def test_it_never_leaves_a_prepared_statement_behind_a_pool_in_transaction_mode(db):
    # The arrays are bound on the server; psycopg would prepare a statement run five times on one
    # connection, and behind PgBouncer in transaction mode the next run may reach a server without
    # it. Django turns preparing off (prepare_threshold None) unless OPTIONS ask for it: keep it so.
    for n in range(8):
        bulk.insert_rows(Message, {"key": [f"p:{n}"], "kind": ["deadline"], "title": ["一"]}, skip_conflicts_on="key")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0
    assert Message.objects.filter(key__startswith="p:").count() == 8
