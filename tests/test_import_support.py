"""Helpers shared by the import tests (no tests here)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from ct.core.tenancy import bound_tenant
from ct.extensions import db, rq
from ct.models import ImportRun, Tiers
from tests.smtp import run_queued_jobs


def csv_bytes(header: list[str], rows: list[list], delimiter: str = ";",
              encoding: str = "utf-8") -> bytes:
    """A file as a spreadsheet saves it (no formula escaping: what people type)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def inline_jobs(app, monkeypatch):
    """Jobs run inline at the end of the request, as in the embedded setup (no Redis)."""
    monkeypatch.setitem(app.config, "REDIS_URL", None)


@pytest.fixture
def rq_async(app, monkeypatch):
    """Jobs really go to Redis. Flask-RQ runs them synchronously at enqueue time under
    TESTING, which would be inside the request's after_commit hook: not what production does."""
    assert app.config["REDIS_URL"]
    with app.app_context():
        monkeypatch.setattr(rq.queue, "_is_async", True)


run_worker = run_queued_jobs  # the import tests' name for it


def upload(client, slug: str, kind: str, raw: bytes, filename: str = "file.csv"):
    # Encoded in memory: the test client would spool a big body to a temporary file
    # that it never closes (a ResourceWarning, an error under filterwarnings=error).
    boundary, body = encode_multipart(
        {"kind": kind, "file": FileStorage(io.BytesIO(raw), filename)})
    return client.post(f"/t/{slug}/import/", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def run_id_of(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/import/(\d+)$", response.headers["Location"]).group(1))


def start(client, slug: str, run_id: int, mode: str = "all"):
    return client.post(f"/t/{slug}/import/{run_id}/start", data={"mode": mode})


def get_run(app, tenant_id: int, run_id: int) -> ImportRun:
    with app.app_context(), bound_tenant(tenant_id):
        run = db.session.scalar(select(ImportRun).where(ImportRun.id == run_id))
        db.session.expunge(run)
        return run


def add_tiers(app, tenant_id: int, *specs: tuple[str, str | None]) -> dict[str, int]:
    """Third parties (name, customer code) of a tenant; their ids by name."""
    with app.app_context(), bound_tenant(tenant_id):
        rows = [Tiers(name=name, customer_code=code) for name, code in specs]
        db.session.add_all(rows)
        db.session.commit()
        return {t.name: t.id for t in rows}
