"""A large exchanges export runs as a background job: the same file as the streamed
one, a progress page, a link to the file for the member who asked and nobody else."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from ct.core.tenancy import bound_tenant
from ct.exchanges.export import build_exchanges_export
from ct.extensions import db
from ct.models import ExportRun
from ct.models.export_run import DONE, FAILED, KIND_EXCHANGES, RUNNING
from tests.downloads import fetch
from tests.exchange_data import add, add_many, in_english, world  # noqa: F401 — fixture

THRESHOLD = 5


@pytest.fixture(autouse=True)
def small_threshold(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_JOB_THRESHOLD", THRESHOLD)
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))


def export(client, w, query=""):
    return client.get(f"/t/{w.slug}/exchanges/export.csv{query}")


def run_id_of(response) -> int:
    assert response.status_code == 303
    return int(re.search(r"/data/exports/(\d+)$", response.headers["Location"]).group(1))


def run_job(app, w, run_id: int) -> None:
    with app.app_context():
        build_exchanges_export(w.tenant_id, run_id, 3)  # batches of 3: several rounds


def the_run(app, w, run_id: int) -> ExportRun:
    with app.app_context(), bound_tenant(w.tenant_id):
        run = db.session.scalar(select(ExportRun).where(ExportRun.id == run_id))
        db.session.expunge(run)
        return run



def test_small_lists_still_stream(client, auth, world):  # noqa: F811
    add_many(world, world.tiers["dupont"], world.admin_id, THRESHOLD)
    auth.login("alice@alpha.fr")
    response = export(client, world)
    assert response.status_code == 200 and response.is_streamed
    assert len(response.get_data(as_text=True).splitlines()) == THRESHOLD + 1


def test_a_large_list_becomes_a_job_with_the_same_file(app, client, auth, world):  # noqa: F811
    add_many(world, world.tiers["dupont"], world.admin_id, 8)
    add(world, world.tiers["martin"], world.admin_id, comment="=1+1")
    auth.login("alice@alpha.fr")
    in_english(client)
    query = f"?sort=date_asc&sep=semicolon&tiers={world.tiers['dupont']}"
    run_id = run_id_of(export(client, world, query))
    run = the_run(app, world, run_id)
    assert run.kind == KIND_EXCHANGES and run.created_by_id == world.admin_id
    page = client.get(f"/t/{world.slug}/data/exports/{run_id}").get_data(as_text=True)
    assert "The export will start in a moment" in page and 'hx-trigger="every 1s"' in page

    run_job(app, world, run_id)
    run = the_run(app, world, run_id)
    assert run.status == DONE and run.total == run.processed == 8
    page = client.get(f"/t/{world.slug}/data/exports/{run_id}").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' not in page and "Download the CSV file" in page
    response = fetch(client, f"/t/{world.slug}/data/exports/{run_id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    from_job = response.get_data(as_text=True)

    app.config["EXPORT_JOB_THRESHOLD"] = 1000  # the same request, streamed
    streamed = export(client, world, query).get_data(as_text=True)
    assert from_job == streamed
    lines = from_job.splitlines()
    assert lines[0].startswith("\ufeffDate;Third party;") and len(lines) == 9
    assert lines[1].endswith(";Appel 0;;") and lines[-1].endswith(";Appel 7;;")


def test_formulas_stay_text(app, client, auth, world):  # noqa: F811
    add_many(world, world.tiers["dupont"], world.admin_id, THRESHOLD, status="todo")
    add(world, world.tiers["martin"], world.admin_id, comment="=HYPERLINK(1)")
    auth.login("alice@alpha.fr")
    run_id = run_id_of(export(client, world))
    run_job(app, world, run_id)
    text = fetch(client, f"/t/{world.slug}/data/exports/{run_id}/download").get_data(as_text=True)
    assert ",'=HYPERLINK(1)," in text


def test_progress_while_running(app, client, auth, world):  # noqa: F811
    add_many(world, world.tiers["dupont"], world.admin_id, THRESHOLD + 1)
    auth.login("alice@alpha.fr")
    in_english(client)
    run_id = run_id_of(export(client, world))
    with app.app_context(), bound_tenant(world.tenant_id):
        db.session.execute(update(ExportRun).where(ExportRun.id == run_id)
                           .values(status=RUNNING, total=6, processed=3))
        db.session.commit()
    fragment = client.get(f"/t/{world.slug}/data/exports/{run_id}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="export-run"')
    assert 'value="50" max="100"' in fragment and "3 of 6 rows" in fragment


def test_only_the_member_who_asked_downloads_it(app, client, auth, world):  # noqa: F811
    add_many(world, world.tiers["dupont"], world.admin_id, THRESHOLD + 1)
    auth.login("arthur@alpha.fr")  # a member with the export right
    run_id = run_id_of(export(client, world))
    run_job(app, world, run_id)
    url = f"/t/{world.slug}/data/exports/{run_id}"
    assert fetch(client, f"{url}/download").status_code == 200
    for email in ("alice@alpha.fr", "rita@alpha.fr", "bob@beta.fr"):  # admin, restricted, B
        auth.logout()
        auth.login(email)
        assert client.get(url).status_code == 404, email
        assert fetch(client, f"{url}/download").status_code == 404, email
    assert client.get(f"/t/{world.b_slug}/data/exports/{run_id}").status_code == 404


def test_a_member_who_left_gets_no_file(app, client, auth, world):  # noqa: F811
    add_many(world, world.tiers["dupont"], world.admin_id, THRESHOLD + 1)
    auth.login("arthur@alpha.fr")
    run_id = run_id_of(export(client, world))
    with app.app_context(), bound_tenant(world.tenant_id):
        from ct.models import Membership

        db.session.execute(update(Membership).where(Membership.id == world.member_id)
                           .values(active=False))
        db.session.commit()
    run_job(app, world, run_id)
    run = the_run(app, world, run_id)
    assert run.status == FAILED and run.file_name is None


def test_the_real_worker_writes_it(app, client, auth, world, run_worker):  # noqa: F811
    add_many(world, world.tiers["dupont"], world.admin_id, THRESHOLD + 2)
    auth.login("alice@alpha.fr")
    run_id = run_id_of(export(client, world))
    run_worker()
    assert the_run(app, world, run_id).status == DONE
    text = fetch(client, f"/t/{world.slug}/data/exports/{run_id}/download").get_data(as_text=True)
    assert len(text.splitlines()) == THRESHOLD + 3
