"""The import's background jobs: a real RQ worker, polling, 50,000 rows, all or nothing."""

import re
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, ImportRun, Tiers
from ct.records.importing import runner
from tests.conftest import set_connection_tenant
from tests.test_import_support import (
    add_tiers,
    csv_bytes,
    get_run,
    inline_jobs,  # noqa: F401 — fixture
    rq_async,  # noqa: F401 — fixture
    run_id_of,
    run_worker,
    start,
    upload,
)

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")


def count(app, tenant_id, model=Tiers):
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(model.id)))


@pytest.mark.usefixtures("rq_async")
def test_through_a_real_rq_worker_with_polling(app, client, htmx, auth, tenants):
    auth.login(tenants.a.admin_email)
    slug = tenants.a.slug
    run_id = run_id_of(upload(client, slug, "tiers", csv_bytes(["Nom"], [["Acme"], ["Beta"]])))
    assert get_run(app, tenants.a.id, run_id).status == "checking"

    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    fragment = htmx.get(f"/t/{slug}/import/{run_id}").get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="import-run"')  # the block, not the page
    assert 'hx-trigger="every 1s"' in fragment and "Checking the rows" in fragment

    run_worker(app)
    fragment = htmx.get(f"/t/{slug}/import/{run_id}").get_data(as_text=True)
    assert "hx-trigger" not in fragment  # polling stops
    assert "Import the 2 rows" in fragment

    assert start(client, slug, run_id).status_code == 303
    assert get_run(app, tenants.a.id, run_id).status == "queued"
    assert 'hx-trigger="every 1s"' in htmx.get(f"/t/{slug}/import/{run_id}").get_data(as_text=True)
    assert count(app, tenants.a.id) == 0
    run_worker(app)
    fragment = htmx.get(f"/t/{slug}/import/{run_id}").get_data(as_text=True)
    assert "hx-trigger" not in fragment and "2 third parties imported." in fragment
    assert count(app, tenants.a.id) == 2


@pytest.mark.usefixtures("inline_jobs")
def test_a_redelivered_job_does_nothing_twice(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", csv_bytes(["Nom"], [["Acme"]])))
    start(client, tenants.a.slug, run_id)
    with app.app_context():
        runner.check_import(tenants.a.id, run_id)
        runner.run_import(tenants.a.id, run_id)
    assert count(app, tenants.a.id) == 1
    assert get_run(app, tenants.a.id, run_id).status == "done"


@pytest.mark.usefixtures("inline_jobs")
def test_fifty_thousand_tiers(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    rows = [[f"Entreprise {i:05d} SARL", f"C{i:05d}", "client", f"contact{i}@exemple.fr",
             "01 23 45 67 89", "Paris"] for i in range(50_000)]
    raw = csv_bytes(["Raison sociale", "Code client", "Type", "Email", "Téléphone", "Ville"], rows,
                    encoding="cp1252")
    began = time.perf_counter()
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", raw))
    checked = time.perf_counter()
    assert get_run(app, tenants.a.id, run_id).error_rows == 0
    assert start(client, tenants.a.slug, run_id).status_code == 303
    done = time.perf_counter()
    print(f"\n50,000 tiers: upload + check {checked - began:.1f} s, import {done - checked:.1f} s")
    run = get_run(app, tenants.a.id, run_id)
    assert (run.status, run.imported) == ("done", 50_000)
    assert count(app, tenants.a.id) == 50_000
    with app.app_context(), bound_tenant(tenants.a.id):
        last = db.session.scalar(select(Tiers).where(Tiers.customer_code == "C49999"))
        assert (last.name_key, last.is_customer) == ("entreprise 49999", True)
        assert "contact49999@exemple.fr" in last.search_text


@pytest.mark.usefixtures("inline_jobs")
def test_fifty_thousand_rows_all_in_error_give_a_full_report(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    raw = csv_bytes(["Nom", "Email"], [[f"T{i}", "not an email"] for i in range(50_000)])
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", raw))
    body = client.get(f"/t/{tenants.a.slug}/import/{run_id}").get_data(as_text=True)
    number = r"50\D?000"  # however the locale groups digits
    assert re.search(number + " rows have errors", body)
    assert re.search(f"The first 200 problems of {number} are shown.", body)
    assert 'value="valid"' not in body and 'value="all"' not in body
    report = client.get(f"/t/{tenants.a.slug}/import/{run_id}/report.csv").data
    assert report.count(b"\r\n") == 50_001


@pytest.mark.usefixtures("inline_jobs")
def test_contacts_import_of_many_rows_links_by_code(app, client, auth, tenants):
    add_tiers(app, tenants.a.id, *[(f"Client {i}", f"K{i}") for i in range(50)])
    auth.login(tenants.a.admin_email)
    rows = [[f"Prénom{i}", f"Nom{i}", f"K{i % 50}", f"p{i}@exemple.fr"] for i in range(5_000)]
    raw = csv_bytes(["Prénom", "Nom", "Code client", "Email"], rows)
    run_id = run_id_of(upload(client, tenants.a.slug, "contacts", raw))
    start(client, tenants.a.slug, run_id)
    assert get_run(app, tenants.a.id, run_id).imported == 5_000
    with app.app_context(), bound_tenant(tenants.a.id):
        linked = select(func.count(Contact.id)).where(Contact.tiers_id.is_not(None))
        assert db.session.scalar(linked) == 5_000


@pytest.mark.usefixtures("inline_jobs")
def test_a_failure_in_the_middle_leaves_nothing(app, client, auth, tenants,
                                                monkeypatch):
    auth.login(tenants.a.admin_email)
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers",
                              csv_bytes(["Nom"], [[f"T{i}"] for i in range(50)])))
    monkeypatch.setattr(runner, "BATCH", 10)
    reports = []

    def progress_then_fail(run, processed):
        reports.append(processed)
        if processed == 30:
            raise RuntimeError("the database went away")

    monkeypatch.setattr(runner, "_progress_outside_transaction", progress_then_fail)
    start(client, tenants.a.slug, run_id)
    assert reports == [10, 20, 30]  # three batches were inserted…
    assert count(app, tenants.a.id) == 0  # …and rolled back with the rest
    run = get_run(app, tenants.a.id, run_id)
    assert run.status == "failed"
    body = client.get(f"/t/{tenants.a.slug}/import/{run_id}").get_data(as_text=True)
    assert "The import failed and nothing was imported." in body


@pytest.mark.usefixtures("inline_jobs")
def test_data_changed_since_the_check(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    raw = csv_bytes(["Nom", "Code client"], [["Acme", "C1"], ["Beta", "C2"]])
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", raw))
    add_tiers(app, tenants.a.id, ("Someone else", "C2"))  # meanwhile, C2 is taken
    start(client, tenants.a.slug, run_id)
    assert count(app, tenants.a.id) == 1  # only the tiers created meanwhile
    run = get_run(app, tenants.a.id, run_id)
    assert (run.status, run.failure, run.error_rows) == ("ready", "changed", 1)
    body = client.get(f"/t/{tenants.a.slug}/import/{run_id}").get_data(as_text=True)
    assert "Your data changed since the check" in body
    assert "A third party with this customer code already exists." in body
    start(client, tenants.a.slug, run_id, "valid")
    assert count(app, tenants.a.id) == 2


@pytest.mark.postgres_only
@pytest.mark.usefixtures("inline_jobs")
def test_progress_is_visible_while_the_import_transaction_is_open(app, client, auth, tenants,
                                                                  monkeypatch):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL only: SQLite has one writer at a time")
    auth.login(tenants.a.admin_email)
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers",
                              csv_bytes(["Nom"], [[f"T{i}"] for i in range(30)])))
    monkeypatch.setattr(runner, "BATCH", 10)
    seen = []
    report = runner._progress_outside_transaction

    def watch(run, processed):
        report(run, processed)
        # What another connection (the status page) sees at this moment.
        engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.connect() as conn:
            set_connection_tenant(conn, tenants.a.id)
            seen.append((
                conn.scalar(sa.text("SELECT processed FROM import_runs WHERE id = :id"),
                            {"id": run_id}),
                conn.scalar(sa.text("SELECT count(*) FROM tiers")),
            ))
        engine.dispose()

    monkeypatch.setattr(runner, "_progress_outside_transaction", watch)
    start(client, tenants.a.slug, run_id)
    assert seen == [(10, 0), (20, 0), (30, 0)]  # progress shows, rows not yet committed
    assert count(app, tenants.a.id) == 30
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(ImportRun.status).where(ImportRun.id == run_id)) == "done"
