"""Fixtures: one app per run on the real services, a clean database for every test.

TEST_DATABASE_URL picks the database: a PostgreSQL URL (default: the local server) or
``sqlite`` for a throw-away SQLite file. REDIS_URL points at a Redis database the
suite may flush (default: 15 on the local server).

On PostgreSQL the suite runs as in production: TEST_DATABASE_URL's role (the owner)
creates the schema, and the app connects as TEST_APP_ROLE (default ``ct_app``, created by
the migration if missing), a role that owns nothing and is held by row-level security.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from flask_migrate import upgrade

from ct import create_app
from ct.config import TestConfig, _database_url
from ct.core.db_setup import drop_everything
from ct.core.session_cache import shared_lists
from ct.extensions import db, limiter

ROOT = Path(__file__).resolve().parent.parent
# The SMTP server, the burst worker and the outbox helpers of the email tests.
pytest_plugins = ["tests.smtp", "tests.webhook_support", "tests.api_support",
                  "tests.capture_support"]
PASSWORD = "correct horse battery"


APP_ROLE = os.environ.get("TEST_APP_ROLE", "ct_app")


def _database_uri(tmp_dir: str) -> str:
    """The owner's URL: it migrates and empties the tables."""
    url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/ct_test")
    if url == "sqlite":
        return f"sqlite:///{tmp_dir}/ct-test.sqlite3"
    return _database_url(url)


def _app_uri(owner_uri: str) -> str:
    """The application's URL: the owner's database, as the role without privileges
    (local servers trust 127.0.0.1; elsewhere put the password in TEST_DATABASE_URL's
    form through TEST_APP_DATABASE_URL)."""
    if not owner_uri.startswith("postgresql"):
        return owner_uri
    explicit = os.environ.get("TEST_APP_DATABASE_URL")
    if explicit:
        return _database_url(explicit)
    url = sa.make_url(owner_uri).set(username=APP_ROLE, password=None)
    return url.render_as_string(hide_password=False)


def _ensure_postgres_database(uri: str) -> None:
    url = sa.make_url(uri)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                             {"n": url.database})
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


_owner_engine: sa.Engine | None = None


def owner_engine() -> sa.Engine:
    """The connection of the tables' owner (DDL, TRUNCATE, checks of the catalog)."""
    assert _owner_engine is not None, "the app fixture creates it"
    return _owner_engine


def set_connection_tenant(conn: sa.Connection, tenant_id: int | None) -> None:
    """Bind a tenant on a raw connection's transaction, as the ORM session does."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"),
                     {"t": "" if tenant_id is None else str(tenant_id)})


@pytest.fixture(scope="session")
def tmp_dir():
    with tempfile.TemporaryDirectory(prefix="ct-tests-") as path:
        yield path


@pytest.fixture(scope="session")
def app(tmp_dir):
    global _owner_engine
    uri = _database_uri(tmp_dir)
    if uri.startswith("postgresql"):
        _ensure_postgres_database(uri)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = _app_uri(uri)
        MIGRATION_DATABASE_URI = uri if uri.startswith("postgresql") else None
        WTF_CSRF_ENABLED = False  # the CSRF tests switch it back on
        RQ_ASYNC = True  # jobs wait in Redis for a real worker, as in production
        EXPORT_DIR = str(Path(tmp_dir) / "exports")  # never the instance folder
        ATTACHMENT_DIR = str(Path(tmp_dir) / "attachments")

    app = create_app(Config)
    with app.app_context():
        _owner_engine = db.engine if uri.startswith("sqlite") else sa.create_engine(uri)
        drop_everything(_owner_engine)
        upgrade(directory=str(ROOT / "migrations"))  # the suite runs on the real migrations
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        _owner_engine.dispose()


@pytest.fixture(autouse=True)
def clean_state(app):
    """Each test starts with empty tables, an empty Redis database and fresh limits."""
    yield
    with app.app_context():
        db.session.remove()
        # A live server (end-to-end tests) may still finish a request the browser left
        # behind; its locks can meet ours: try again rather than fail the next test.
        for attempt in range(5):
            try:
                _empty_tables()
                break
            except sa.exc.OperationalError:
                if attempt == 4:
                    raise
                time.sleep(0.5)
    redis.Redis.from_url(app.config["REDIS_URL"]).flushdb()
    limiter.reset()
    # The ids start again at 1: a tenant of the next test must not find this one's lists
    # (nor its attachments' folder).
    shared_lists.clear()
    shutil.rmtree(app.config["ATTACHMENT_DIR"], ignore_errors=True)


def _empty_tables() -> None:
    """Every row deleted, children first, and the ids started again at 1.

    DELETE, not TRUNCATE: a test leaves a few rows in a few tables, and TRUNCATE of
    the ~45 tables cost 150 ms whatever they held (new files for each), minutes over
    the suite. The owner deletes: row-level security does not hold it back."""
    tables = list(reversed(db.metadata.sorted_tables))
    with owner_engine().begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def htmx(app):
    """A client whose requests come from htmx (fragments instead of full pages)."""
    client = app.test_client()
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    return client


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, **extra):
        return self._client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@dataclass
class TenantData:
    id: int
    slug: str
    admin_email: str
    member_email: str
    admin_membership_id: int
    member_membership_id: int
    group_id: int


@dataclass
class Tenants:
    a: TenantData
    b: TenantData


def make_tenant(name: str, admin_email: str, member_email: str) -> TenantData:
    """A company with an admin, a member, and a group holding the member."""
    from ct.auth import accounts
    from ct.core.permissions import ROLE_MEMBER
    from ct.core.tenancy import bound_tenant
    from ct.models import Group, GroupMember, Membership

    tenant = accounts.sign_up(name, f"Admin {name}", admin_email, PASSWORD, "fr")
    with bound_tenant(tenant.id):
        member = Membership.create(
            accounts.create_user(member_email, f"Member {name}", PASSWORD, "fr"), ROLE_MEMBER
        )
        group = Group(name=f"Team {name}")
        db.session.add(group)
        db.session.flush()
        db.session.add(GroupMember(group_id=group.id, membership_id=member.id))
        db.session.commit()
        admin = Membership.by_email(admin_email)
        return TenantData(tenant.id, tenant.slug, admin_email, member_email, admin.id,
                          member.id, group.id)


@pytest.fixture
def tenants(app) -> Tenants:
    """Two companies with data: every isolation test checks the other sees nothing."""
    with app.app_context():
        a = make_tenant("Alpha Conseil", "alice@alpha.fr", "arthur@alpha.fr")
        b = make_tenant("Beta Industrie", "bob@beta.fr", "berthe@beta.fr")
    return Tenants(a, b)


@pytest.fixture
def english_messages(monkeypatch):
    """Messages as written in the code (English) while dates, numbers and lists keep
    the user's French locale: for tests that read the messages of a feature.
    Tests of the translations themselves use the catalog (tests/auth_support.py)."""
    from babel.support import NullTranslations
    from flask_babel import Domain

    monkeypatch.setattr(Domain, "get_translations", lambda self: NullTranslations())


@pytest.fixture
def english(app, monkeypatch):
    """The whole interface in English (messages, dates, numbers, list labels)."""
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "en")
