"""Closing a company: confirmed by typing its name, a grace period announced on every
page and cancellable, then a purge that deletes every row of that company and only it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ct.core.tenancy import bound_tenant
from ct.extensions import db, rq
from ct.models import AuditEntry, Tenant
from ct.models.base import utcnow
from ct.records.closing import purge_closed_tenants, purge_tenant
from ct.records.export import build_tenant_export, start_tenant_export
from tests.tenant_data import assert_full, populate, row_counts

pytestmark = pytest.mark.usefixtures("english_messages", "export_dir")


@pytest.fixture
def export_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


def closing_at(app, tenant_id: int):
    with app.app_context():
        return db.session.scalar(select(Tenant.closing_at).where(Tenant.id == tenant_id))


def set_closing(app, tenant_id: int, moment) -> None:
    with app.app_context():
        db.session.execute(update(Tenant).where(Tenant.id == tenant_id)
                           .values(closing_at=moment))
        db.session.commit()


def close(client, auth, tenant, typed: str):
    auth.login(tenant.admin_email)
    return client.post(f"/t/{tenant.slug}/data/close", data={"company_name": typed})


@pytest.mark.parametrize("typed, message", [
    ("", "Type the name of the company."),
    ("Beta Industrie", "This is not the name of the company: type “Alpha Conseil”."),
    ("Alpha", "This is not the name of the company"),
    ("<script>alert(1)</script>", "This is not the name of the company"),
    ("x" * 5000, "The name has at most 120 characters."),
])
def test_the_name_must_be_typed(app, client, auth, tenants, typed, message):
    response = close(client, auth, tenants.a, typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert "<script>alert(1)</script>" not in page
    assert closing_at(app, tenants.a.id) is None


def test_closing_starts_a_grace_period_shown_on_every_page(app, client, auth, tenants):
    response = close(client, auth, tenants.a, "  alpha   CONSEIL ")  # case and spaces aside
    assert response.status_code == 303
    moment = closing_at(app, tenants.a.id)
    assert abs(moment - (utcnow() + timedelta(days=14))) < timedelta(minutes=1)
    with app.app_context(), bound_tenant(tenants.a.id):
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "tenant.closing"))
        assert entry.before == {"closing_at": None} and entry.after["closing_at"]
    slug = tenants.a.slug
    for path in ("/", "/tiers/", "/exchanges/", "/data/"):
        page = client.get(f"/t/{slug}{path}").get_data(as_text=True)
        assert 'id="closing-banner"' in page and 'id="cancel-closing"' in page, path
    assert "will be deleted on" in client.get(f"/t/{slug}/data/").text
    # Members still log in and work; they see the banner without the cancel button.
    auth.logout()
    assert auth.login(tenants.a.member_email).status_code in (302, 303)
    page = client.get(f"/t/{slug}/tiers/").get_data(as_text=True)
    assert 'id="closing-banner"' in page and 'id="cancel-closing"' not in page
    assert client.post(f"/t/{slug}/data/close/cancel").status_code == 403
    assert closing_at(app, tenants.a.id) == moment
    # The other company is not closing.
    auth.logout()
    auth.login(tenants.b.admin_email)
    assert 'id="closing-banner"' not in client.get(f"/t/{tenants.b.slug}/").text


def test_an_admin_cancels(app, client, auth, tenants):
    close(client, auth, tenants.a, "Alpha Conseil")
    response = client.post(f"/t/{tenants.a.slug}/data/close/cancel")
    assert response.status_code == 303
    assert closing_at(app, tenants.a.id) is None
    page = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert 'id="closing-banner"' not in page and "The closing is cancelled" in page
    with app.app_context(), bound_tenant(tenants.a.id):
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert sorted(actions) == ["tenant.closing", "tenant.closing_cancelled"]


def test_members_cannot_close(app, client, auth, tenants):
    auth.login(tenants.a.member_email)
    response = client.post(f"/t/{tenants.a.slug}/data/close",
                           data={"company_name": "Alpha Conseil"})
    assert response.status_code == 403
    assert closing_at(app, tenants.a.id) is None
    # Another company's admin: not found.
    auth.logout()
    auth.login(tenants.b.admin_email)
    response = client.post(f"/t/{tenants.a.slug}/data/close",
                           data={"company_name": "Alpha Conseil"})
    assert response.status_code == 404
    assert closing_at(app, tenants.a.id) is None


def export_file(app, tenant) -> Path:
    with app.app_context(), bound_tenant(tenant.id):
        from ct.models import Membership

        admin = db.session.scalar(select(Membership).where(Membership.id ==
                                                           tenant.admin_membership_id))
        run = start_tenant_export(admin)
        db.session.commit()
        run_id = run.id
    with app.app_context():
        build_tenant_export(tenant.id, run_id)
    folder = Path(app.config["EXPORT_DIR"]) / str(tenant.id)
    assert len(list(folder.iterdir())) == 1
    return folder


def test_the_purge_deletes_every_row_of_that_company_and_only_it(app, client, auth, tenants):
    populate(app, tenants.a, "alpha")
    populate(app, tenants.b, "beta")
    folders = export_file(app, tenants.a), export_file(app, tenants.b)
    files = [Path(app.config["ATTACHMENT_DIR"]) / str(t.id) for t in (tenants.a, tenants.b)]
    assert all(len(list(folder.iterdir())) == 1 for folder in files)  # populate's quote
    before_a, before_b = row_counts(app, tenants.a.id), row_counts(app, tenants.b.id)
    assert_full(before_a)
    assert_full(before_b)

    set_closing(app, tenants.a.id, utcnow() + timedelta(hours=1))
    with app.app_context():
        assert purge_closed_tenants() == 0  # still in its grace period
        assert purge_tenant(tenants.a.id) is False
    assert row_counts(app, tenants.a.id) == before_a

    set_closing(app, tenants.a.id, utcnow() - timedelta(minutes=1))
    with app.app_context():
        assert purge_closed_tenants() == 1
        purges = [job.id for job in rq.queue.get_jobs() if job.id.startswith("tenant-purge")]
        assert purges == [f"tenant-purge-{tenants.a.id}"]
        assert purge_tenant(tenants.a.id) is True
    assert set(row_counts(app, tenants.a.id).values()) == {0}
    assert row_counts(app, tenants.b.id) == before_b
    assert not folders[0].exists() and folders[1].exists()
    assert not files[0].exists() and len(list(files[1].iterdir())) == 1
    assert closing_at(app, tenants.b.id) is None
    with app.app_context():
        assert db.session.scalar(select(Tenant).where(Tenant.id == tenants.a.id)) is None
        assert purge_tenant(tenants.a.id) is False  # a job delivered twice

    # The address is gone; the other company works as before.
    auth.login(tenants.a.admin_email)
    assert client.get(f"/t/{tenants.a.slug}/").status_code == 404
    auth.logout()
    auth.login(tenants.b.admin_email)
    assert "Dupont Industrie" in client.get(f"/t/{tenants.b.slug}/tiers/").text


def test_a_cancelled_closing_is_not_purged(app, tenants):
    set_closing(app, tenants.a.id, utcnow() - timedelta(minutes=1))
    set_closing(app, tenants.a.id, None)  # cancelled before the job ran
    with app.app_context():
        assert purge_tenant(tenants.a.id) is False
    assert row_counts(app, tenants.a.id)["memberships"] == 2


def test_the_clock_runs_the_purge_every_hour(app):
    with app.app_context():
        jobs = {job.func.__name__: job.interval for job in rq.make_cron_scheduler().get_jobs()}
    assert jobs["purge_closed_tenants"] == 3600
