"""The benchmark data generator at a tiny scale, and the benchmark-only reference page.

The generator writes with PostgreSQL COPY and rebuilds indexes and foreign keys: a
PostgreSQL-only check. The full benchmark never runs in the test suite (``make bench``).
"""

from __future__ import annotations

import os
from datetime import date

import pytest
import redis
import sqlalchemy as sa

from bench.dataset import bench_size, generate, small_size
from bench.dataset.accounts import (
    BENCH_MEMBERS,
    BENCH_SLUG,
    PASSWORD,
    SMALL_TENANTS,
    member_email,
    small_slug,
)
from ct import config, create_app
from ct.extensions import db, limiter
from tests.conftest import PASSWORD as TEST_PASSWORD
from tests.conftest import owner_engine

SCALE = 0.0005
DAY = date(2026, 6, 15)

ON_SQLITE = os.environ.get("TEST_DATABASE_URL") == "sqlite"
SQLITE_REASON = "the benchmark data generator loads with PostgreSQL COPY: a PostgreSQL-only check"
needs_postgres = pytest.mark.skipif(ON_SQLITE, reason=SQLITE_REASON)

# Every link between two tenant tables: (table, column, referenced table).
LINKS = [
    ("contacts", "tiers_id", "tiers"),
    ("documents", "tiers_id", "tiers"),
    ("projects", "tiers_id", "tiers"),
    ("tasks", "assignee_id", "memberships"),
    ("events", "tiers_id", "tiers"),
    ("event_contacts", "contact_id", "contacts"),
    ("event_assignees", "membership_id", "memberships"),
    ("exchanges", "tiers_id", "tiers"),
    ("exchanges", "author_id", "memberships"),
    ("exchanges", "task_id", "tasks"),
    ("exchanges", "event_id", "events"),
    ("exchanges", "document_id", "documents"),
    ("exchange_contacts", "contact_id", "contacts"),
    ("exchange_contacts", "exchange_id", "exchanges"),
    ("exchange_collaborators", "membership_id", "memberships"),
]


def _dsn(app) -> str:
    # The generator truncates and rebuilds keys: the owner's work, not the app role's.
    owner = app.config.get("MIGRATION_DATABASE_URI") or app.config["SQLALCHEMY_DATABASE_URI"]
    return sa.make_url(owner).set(drivername="postgresql").render_as_string(hide_password=False)


def _load(app, seed: int = 7) -> dict[str, int]:
    with app.app_context():
        db.session.remove()
        return generate(_dsn(app), db.metadata, scale=SCALE, seed=seed, today=DAY,
                        log=lambda line: None)


def _scalar(sql: str, **params):
    # The owner sees every tenant's rows; the app's role sees one tenant at a time.
    with owner_engine().connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def _foreign_keys() -> int:
    return _scalar("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")


DIGESTS = ("SELECT md5(string_agg(name || coalesce(email, ''), ',' ORDER BY id)) FROM tiers",
           "SELECT md5(string_agg(comment || occurred_at::text, ',' ORDER BY id)) FROM exchanges")


def _fingerprint() -> tuple:
    return tuple(_scalar(sql) for sql in DIGESTS)


@pytest.fixture(autouse=True)
def clean_state():
    """Replaces the per-test cleanup of conftest.py: one load serves the whole module
    (the tests only read it), and the module cleans up once at the end."""
    yield


@pytest.fixture(scope="module", autouse=True)
def clean_at_the_end(app):
    yield
    with app.app_context():
        db.session.remove()
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with owner_engine().begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            else:
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
    redis.Redis.from_url(app.config["REDIS_URL"]).flushdb()
    limiter.reset()


@pytest.fixture(scope="module")
def loaded(app):
    """The tiny load: (foreign keys before the load, fingerprint of the rows)."""
    if ON_SQLITE:
        pytest.skip(SQLITE_REASON)
    with app.app_context():
        foreign_keys_before = _foreign_keys()
        db.session.remove()
    _load(app)
    with app.app_context():
        fingerprint = _fingerprint()
        db.session.remove()
    return foreign_keys_before, fingerprint


@pytest.fixture
def session(loaded, app):
    with app.app_context():
        yield
        db.session.remove()


@needs_postgres
@pytest.mark.postgres_only
def test_counts_of_the_large_and_small_companies(loaded, session):
    size, small = bench_size(SCALE), small_size(SCALE)
    bench = _scalar("SELECT id FROM tenants WHERE slug = :s", s=BENCH_SLUG)

    def count(table: str, tenant: int = bench) -> int:
        return _scalar(f"SELECT count(*) FROM {table} WHERE tenant_id = :t", t=tenant)

    assert _scalar("SELECT count(*) FROM tenants") == 1 + SMALL_TENANTS
    assert count("tiers") == size.tiers
    assert count("contacts") == size.contacts
    assert count("exchanges") == size.exchanges
    assert count("events") == size.events
    assert count("memberships") == BENCH_MEMBERS
    biggest = _scalar("SELECT count(*) FROM exchanges WHERE tenant_id = :t "
                      "GROUP BY tiers_id ORDER BY count(*) DESC LIMIT 1", t=bench)
    assert biggest == size.big_tiers_exchanges
    with owner_engine().connect() as conn:
        per_exchange = conn.execute(sa.text(
            "SELECT min(n), max(n) FROM (SELECT e.id, count(c.id) AS n FROM exchanges e "
            "LEFT JOIN exchange_contacts c ON c.exchange_id = e.id GROUP BY e.id) x")).one()
    assert tuple(per_exchange) == (1, 3)
    other = _scalar("SELECT id FROM tenants WHERE slug = :s", s=small_slug(SMALL_TENANTS))
    assert count("tiers", other) == small.tiers
    assert count("exchanges", other) == small.exchanges


@needs_postgres
@pytest.mark.postgres_only
def test_every_link_stays_inside_its_tenant(loaded, session):
    # The composite foreign keys were dropped for the load and added back, which checks
    # every row; all of them are there again, and a direct count agrees.
    assert _foreign_keys() == loaded[0]
    for table, column, target in LINKS:
        crossed = _scalar(
            f"SELECT count(*) FROM {table} x JOIN {target} y ON y.id = x.{column} "
            f"WHERE y.tenant_id <> x.tenant_id")
        linked = _scalar(f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL")
        assert crossed == 0, f"{table}.{column}"
        assert linked > 0, f"{table}.{column} is never filled"
    collaborators = _scalar(
        "SELECT count(*) FROM exchange_collaborators c JOIN exchanges e ON e.id = c.exchange_id "
        "WHERE c.membership_id = e.author_id")
    assert collaborators == 0


@needs_postgres
@pytest.mark.postgres_only
def test_derived_columns_are_what_the_models_compute(loaded, session):
    from ct.core.tenancy import bound_tenant
    from ct.models import Contact, Exchange, Tiers
    from ct.models.contact import derive_keys as contact_keys
    from ct.models.exchange import derive_search_text
    from ct.models.tiers import derive_keys as tiers_keys

    bench = _scalar("SELECT id FROM tenants WHERE slug = :s", s=BENCH_SLUG)
    with bound_tenant(bench):
        for model, derive, columns in (
            (Tiers, tiers_keys, ("sort_key", "name_key", "search_text")),
            (Contact, contact_keys, ("sort_key", "search_text")),
            (Exchange, derive_search_text, ("search_text",)),
        ):
            rows = db.session.scalars(sa.select(model).order_by(model.id).limit(30)).all()
            assert rows
            for row in rows:
                stored = {c: getattr(row, c) for c in columns}
                derive(None, None, row)
                assert {c: getattr(row, c) for c in columns} == stored
        db.session.rollback()
    accented = _scalar("SELECT count(*) FROM contacts WHERE first_name ~ '[éèêëàâçîïôöûüÉ]'")
    assert accented > 0


@needs_postgres
@pytest.mark.postgres_only
def test_members_log_in_and_new_rows_get_fresh_ids(loaded, client):
    # No app context held around the requests: each gets its own, as in production.
    reply = client.post("/login", data={"email": member_email(BENCH_SLUG, 1),
                                        "password": PASSWORD})
    assert reply.status_code == 303
    assert client.get(f"/t/{BENCH_SLUG}/").status_code == 200
    # The sequences were moved past the generated ids.
    tenant = _scalar("SELECT id FROM tenants WHERE slug = :s", s=BENCH_SLUG)
    new_id = _scalar("INSERT INTO groups (tenant_id, name, created_at, updated_at) "
                     "VALUES (:t, 'Nouveau groupe', now(), now()) RETURNING id", t=tenant)
    assert new_id > _scalar("SELECT max(id) FROM groups WHERE name <> 'Nouveau groupe'")


@needs_postgres
@pytest.mark.postgres_only
def test_same_seed_same_rows(loaded, app):
    _load(app, seed=7)  # the seed of the module's load
    with app.app_context():
        assert _fingerprint() == loaded[1]
        db.session.remove()


def test_reference_page_exists_only_with_bench_routes(app, client, auth, tenants):
    auth.login(tenants.a.admin_email, TEST_PASSWORD)
    assert client.get(f"/t/{tenants.a.slug}/bench/reference").status_code == 404
    assert "X-Query-Count" not in client.get(f"/t/{tenants.a.slug}/").headers

    class BenchConfig(config.TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        WTF_CSRF_ENABLED = False
        BENCH_ROUTES = True

    bench_app = create_app(BenchConfig)
    try:
        bench_client = bench_app.test_client()
        bench_client.post("/login", data={"email": tenants.a.admin_email,
                                          "password": TEST_PASSWORD})
        reply = bench_client.get(f"/t/{tenants.a.slug}/bench/reference")
        assert reply.status_code == 200
        assert int(reply.headers["X-Query-Count"]) > 0
        # Another tenant's reference page is not found, like every tenant page.
        assert bench_client.get(f"/t/{tenants.b.slug}/bench/reference").status_code == 404
    finally:
        with bench_app.app_context():
            db.session.remove()
            db.engine.dispose()


@needs_postgres
@pytest.mark.postgres_only
def test_links_to_another_tiers_are_flagged_and_the_triggers_are_back(loaded, session):
    """The load copies with the tables' triggers off and flags the links itself; after
    it the flags match the rows, and the triggers keep them again."""
    mismatched = """SELECT count(*) FROM exchange_contacts ec
                    JOIN contacts c ON c.id = ec.contact_id
                    JOIN exchanges e ON e.id = ec.exchange_id
                    WHERE c.tiers_id <> e.tiers_id"""
    flagged = "SELECT count(*) FROM exchange_contacts WHERE elsewhere"
    assert _scalar(mismatched) > 0
    assert _scalar(flagged) == _scalar(mismatched)
    assert _scalar("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal "
                   "AND tgenabled <> 'O'") == 0
    assert _scalar("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal") >= 3
