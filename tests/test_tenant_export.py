"""Export of all of a company's data: a ZIP with one CSV file per tenant table, built by
a job whose progress the page shows, for admins only, kept for a week."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.extensions import db, rq
from ct.models import ExportRun, Tiers
from ct.models.base import utcnow
from ct.models.export_run import DONE, EXPIRED, FAILED, RUNNING
from ct.records.export import (
    build_tenant_export,
    exported_columns,
    remove_expired_exports,
    retry_stalled_exports,
    tenant_tables,
)
from tests.downloads import fetch
from tests.tenant_data import assert_full, populate, row_counts

pytestmark = pytest.mark.usefixtures("english_messages", "export_dir")
HX = {"HX-Request": "true"}


@pytest.fixture
def export_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


@pytest.fixture
def full(app, tenants):
    """Both companies with a row in every tenant table."""
    populate(app, tenants.a, "alpha")
    populate(app, tenants.b, "beta")
    return tenants


def start(client, auth, tenant) -> int:
    auth.login(tenant.admin_email)
    response = client.post(f"/t/{tenant.slug}/data/export")
    assert response.status_code == 303
    return int(re.search(r"/data/exports/(\d+)$", response.headers["Location"]).group(1))


def run_job(app, tenant, run_id: int) -> None:
    with app.app_context():
        build_tenant_export(tenant.id, run_id)


def the_run(app, tenant, run_id: int) -> ExportRun:
    with app.app_context(), bound_tenant(tenant.id):
        run = db.session.scalar(select(ExportRun).where(ExportRun.id == run_id))
        db.session.expunge(run)
        return run


def set_run(app, tenant, run_id: int, **values) -> None:
    with app.app_context(), bound_tenant(tenant.id):
        db.session.execute(update(ExportRun).where(ExportRun.id == run_id).values(**values))
        db.session.commit()



def read_zip(response, attachments: dict | None = None) -> dict[str, list[list[str]]]:
    """The CSV files, read; the attachments' files go to ``attachments`` as bytes."""
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    files = {}
    for name in archive.namelist():
        if name.startswith("attachments/"):
            if attachments is not None:
                attachments[name] = archive.read(name)
            continue
        text = archive.read(name).decode("utf-8")
        assert text.startswith("\ufeff")
        files[name] = list(csv.reader(io.StringIO(text[1:])))
    return files


def test_zip_has_a_file_per_tenant_table_with_only_this_tenants_rows(app, client, auth, full):
    counts = row_counts(app, full.a.id)
    assert_full(counts)
    run_id = start(client, auth, full.a)
    run_job(app, full.a, run_id)
    response = fetch(client, f"/t/{full.a.slug}/data/exports/{run_id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert f'filename=data-{full.a.slug}-' in response.headers["Content-Disposition"]
    attachments = {}
    files = read_zip(response, attachments)
    # The file of the exchange, named by its row of exchange_attachments.csv.
    header, (row,) = files["exchange_attachments.csv"][0], files["exchange_attachments.csv"][1:]
    name = f"attachments/{row[header.index('id')]}-{row[header.index('filename')]}"
    assert attachments == {name: b"Quote alpha"}
    assert "storage_key" not in header
    with app.app_context():
        tables = tenant_tables()
        assert set(files) == {f"{t.name}.csv" for t in tables} | {"users.csv"}
        for table in tables:
            header, *rows = files[f"{table.name}.csv"]
            assert header == [c.name for c in exported_columns(table)]
            tenant_column = header.index("tenant_id")
            assert {row[tenant_column] for row in rows} <= {str(full.a.id)}
            # The export's own run is "running" while it reads: it is in the file too.
            assert len(rows) == counts[table.name] + (table.name == "export_runs")
    everything = str(files)
    assert "Comment alpha" in everything and "Meeting alpha" in everything
    assert "beta" not in everything.lower()  # nothing of the other company
    header, *people = files["users.csv"]
    assert header == ["id", "email", "display_name", "language", "created_at"]
    assert sorted(p[1] for p in people) == ["alice@alpha.fr", "arthur@alpha.fr"]
    audit_header, *audit_rows = files["audit_entries.csv"]
    assert "settings.update" in {row[audit_header.index("action")] for row in audit_rows}


def test_files_and_secrets_stay_out(app, client, auth, full):
    run_id = start(client, auth, full.a)
    run_job(app, full.a, run_id)
    files = read_zip(fetch(client, f"/t/{full.a.slug}/data/exports/{run_id}/download"))
    assert "secret_hash" not in files["invitations.csv"][0]
    assert "token_hash" not in files["calendar_tokens.csv"][0]
    assert "content" not in files["import_runs.csv"][0]
    assert "password_hash" not in str(files) and "session_token" not in str(files)
    assert "Secret file" not in str(files)


def test_cells_are_safe_from_formulas_and_typed_plainly(app, client, auth, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add(Tiers(name="=HYPERLINK(\"http://evil\")", is_customer=True))
        db.session.commit()
    run_id = start(client, auth, tenants.a)
    run_job(app, tenants.a, run_id)
    files = read_zip(fetch(client, f"/t/{tenants.a.slug}/data/exports/{run_id}/download"))
    header, row = files["tiers.csv"]
    tiers = dict(zip(header, row, strict=True))
    assert tiers["name"] == "'=HYPERLINK(\"http://evil\")"
    assert tiers["is_customer"] == "1" and tiers["is_supplier"] == "0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*", tiers["created_at"])


def test_progress_queued_running_done(app, client, auth, tenants):
    run_id = start(client, auth, tenants.a)
    url = f"/t/{tenants.a.slug}/data/exports/{run_id}"
    page = client.get(url).get_data(as_text=True)
    assert "The export will start in a moment" in page
    assert 'hx-trigger="every 1s"' in page and "<progress id=" in page
    assert 'value="' not in page.split("<progress", 1)[1].split(">", 1)[0]  # indeterminate

    set_run(app, tenants.a, run_id, status=RUNNING, total=50, processed=20)
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="export-run"')  # the fragment only
    assert 'value="40" max="100"' in fragment and 'aria-valuetext="40 %"' in fragment
    assert "Exporting… 20 of 50 rows" in fragment and 'hx-trigger="every 1s"' in fragment

    set_run(app, tenants.a, run_id, status="queued")
    run_job(app, tenants.a, run_id)
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert "hx-trigger" not in fragment  # done: the polling stops
    assert 'value="100"' in fragment and 'id="export-download"' in fragment
    assert "Download the ZIP file" in fragment
    assert f"/data/exports/{run_id}/download" in fragment
    run = the_run(app, tenants.a, run_id)
    assert run.status == DONE and run.processed == run.total > 0
    assert run.expires_at - run.finished_at == timedelta(days=7)


def test_a_redelivered_job_does_nothing_and_a_failure_says_so(app, client, auth, tenants,
                                                              monkeypatch):
    run_id = start(client, auth, tenants.a)
    run_job(app, tenants.a, run_id)
    first = the_run(app, tenants.a, run_id)
    run_job(app, tenants.a, run_id)  # delivered twice
    assert the_run(app, tenants.a, run_id).file_name == first.file_name

    second = start(client, auth, tenants.a)

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr("ct.records.export._write_table", broken)
    run_job(app, tenants.a, second)
    run = the_run(app, tenants.a, second)
    assert run.status == FAILED and run.file_name is None
    page = client.get(f"/t/{tenants.a.slug}/data/exports/{second}").get_data(as_text=True)
    assert "The export failed" in page and 'hx-trigger="every 1s"' not in page
    assert fetch(client, f"/t/{tenants.a.slug}/data/exports/{second}/download").status_code == 404
    assert not list(Path(app.config["EXPORT_DIR"]).rglob("*.part"))


def test_admins_only(app, client, auth, tenants):
    run_id = start(client, auth, tenants.a)
    run_job(app, tenants.a, run_id)
    auth.logout()
    auth.login(tenants.a.member_email)
    slug = tenants.a.slug
    assert client.get(f"/t/{slug}/data/").status_code == 403
    assert client.post(f"/t/{slug}/data/export").status_code == 403
    assert client.get(f"/t/{slug}/data/exports/{run_id}").status_code == 403
    assert fetch(client, f"/t/{slug}/data/exports/{run_id}/download").status_code == 403
    assert b"/data/" not in client.get(f"/t/{slug}/").data  # no menu entry either
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(db.func.count(ExportRun.id))) == 1


def test_another_tenants_export_is_not_found(app, client, auth, tenants):
    run_id = start(client, auth, tenants.a)
    run_job(app, tenants.a, run_id)
    auth.logout()
    auth.login(tenants.b.admin_email)
    assert client.get(f"/t/{tenants.b.slug}/data/exports/{run_id}").status_code == 404
    assert fetch(client, f"/t/{tenants.b.slug}/data/exports/{run_id}/download").status_code == 404
    assert fetch(client, f"/t/{tenants.a.slug}/data/exports/{run_id}/download").status_code == 404
    too_big = f"/t/{tenants.b.slug}/data/exports/99999999999/download"
    assert fetch(client, too_big).status_code == 404


def test_expired_files_are_refused_then_removed(app, client, auth, tenants):
    run_id = start(client, auth, tenants.a)
    run_job(app, tenants.a, run_id)
    path = Path(app.config["EXPORT_DIR"]) / the_run(app, tenants.a, run_id).file_name
    assert path.is_file()
    download = f"/t/{tenants.a.slug}/data/exports/{run_id}/download"
    set_run(app, tenants.a, run_id, expires_at=utcnow() + timedelta(minutes=1))
    assert fetch(client, download).status_code == 200
    set_run(app, tenants.a, run_id, expires_at=utcnow() - timedelta(minutes=1))
    assert fetch(client, download).status_code == 404
    assert "has expired" in client.get(f"/t/{tenants.a.slug}/data/exports/{run_id}").text
    with app.app_context():
        assert remove_expired_exports() == 1
        assert remove_expired_exports() == 0
    assert not path.exists()
    run = the_run(app, tenants.a, run_id)
    assert run.status == EXPIRED and run.file_name is None
    with app.app_context():
        jobs = {job.func.__name__: job.interval for job in rq.make_cron_scheduler().get_jobs()}
    assert jobs["remove_expired_exports"] == 3600


def test_the_real_worker_builds_it(app, client, auth, tenants, run_worker):
    run_id = start(client, auth, tenants.a)
    run_worker()
    run = the_run(app, tenants.a, run_id)
    assert run.status == DONE
    response = fetch(client, f"/t/{tenants.a.slug}/data/exports/{run_id}/download")
    assert "memberships.csv" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ExportRun.id))
                                 .execution_options(**{ALL_TENANTS: True})) == 1


def test_stalled_exports_are_retried_and_lost_ones_fail(app, client, auth, tenants):
    queued = start(client, auth, tenants.a)
    running = start(client, auth, tenants.a)
    fresh = start(client, auth, tenants.a)
    long_ago = utcnow() - timedelta(hours=7)
    set_run(app, tenants.a, queued, created_at=long_ago)
    set_run(app, tenants.a, running, created_at=long_ago, status=RUNNING)
    with app.app_context():
        rq.queue.empty()
        assert retry_stalled_exports() == 2
        assert [job.id for job in rq.queue.get_jobs()] == [f"export-{queued}"]
        assert rq.queue.get_jobs()[0].timeout == 3 * 3600  # minutes, not RQ's default 3
    assert the_run(app, tenants.a, running).status == FAILED
    assert the_run(app, tenants.a, fresh).status == "queued"
    with app.app_context():
        jobs = {job.func.__name__: job.interval for job in rq.make_cron_scheduler().get_jobs()}
    assert jobs["retry_stalled_exports"] == 600


def test_no_live_token_of_the_company_is_anywhere_in_the_zip(app, client, auth, tenants):
    """Every secret that opens a door — a pending invitation's link (it makes its holder a
    member), a calendar feed's address, a password reset's link — searched for in every
    byte of the archive: none is there."""
    from ct.auth import accounts
    from ct.models import CalendarToken, Membership
    from tests.smtp import LINK, invite, outbox, run_queued_jobs

    a = tenants.a
    invite(client, auth, a, "nina@alpha.fr")
    with app.app_context(), bound_tenant(a.id):
        admin = db.session.scalar(select(Membership).where(
            Membership.id == a.admin_membership_id))
        feed = CalendarToken.issue(admin)
        db.session.commit()
        accounts.request_password_reset(a.member_email)
    run_queued_jobs(app)
    links = [LINK.search(row.body_text).group(1) for row in outbox(app)]
    tokens = [link.rsplit("/", 1)[1] for link in links] + [feed, feed.split("-", 1)[1]]
    assert len(links) == 2 and all(len(token) > 20 for token in tokens)

    run_id = start(client, auth, a)
    run_job(app, a, run_id)
    response = fetch(client, f"/t/{a.slug}/data/exports/{run_id}/download")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "invitation" in everything  # the outbox row is there, as metadata
    for secret in tokens:
        assert secret not in everything
    assert "http://ct.test/" not in everything  # no link of any kind
