"""Uploading a file: rights, unusable files and size limits (a clear message, nothing stored)."""

import os

import pytest
from sqlalchemy import func, select

from ct.core.permissions import MANAGE_RECORDS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ImportRun, Membership
from tests.test_import_support import (
    csv_bytes,
    inline_jobs,  # noqa: F401 — fixture
    upload,
)

pytestmark = pytest.mark.usefixtures("inline_jobs", "english_messages")


def runs(app, tenant_id):
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(ImportRun.id)))


# --- rights --------------------------------------------------------------------------

def test_anonymous_is_sent_to_login(client, tenants):
    response = client.get(f"/t/{tenants.a.slug}/import/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_member_without_manage_records_is_refused(app, client, auth, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        member = db.session.scalar(
            select(Membership).where(Membership.id == tenants.a.member_membership_id))
        member.rights = [r for r in member.rights if r != MANAGE_RECORDS]
        db.session.commit()
    auth.login(tenants.a.member_email)
    slug = tenants.a.slug
    assert client.get(f"/t/{slug}/import/").status_code == 403
    assert upload(client, slug, "tiers", csv_bytes(["Nom"], [["Acme"]])).status_code == 403
    assert runs(app, tenants.a.id) == 0


def test_member_with_default_rights_can_import(client, auth, tenants):
    auth.login(tenants.a.member_email)
    response = client.get(f"/t/{tenants.a.slug}/import/")
    assert response.status_code == 200
    assert "No import yet" in response.get_data(as_text=True)


# --- bad files: a clear message next to the field, nothing stored ----------------------

@pytest.mark.parametrize(("raw", "message"), [
    (b"", "The file is empty."),
    (b"Nom;Ville\r\n", "The file has column names but no rows to import."),
    (csv_bytes(["Ville", "Email"], [["Paris", "a@b.fr"]]), "no column for the name"),
    ("Nom;Ville\nAcme;Paris\n".encode("utf-16"), "UTF-16"),
    (os.urandom(4096), "neither UTF-8 nor Windows-1252"),
    (csv_bytes(["Nom", "Email", "E-mail"], [["A", "", ""]]), "keep only one of them"),
])
def test_unusable_files_are_refused_clearly(app, client, auth, tenants, raw, message):
    auth.login(tenants.a.admin_email)
    response = upload(client, tenants.a.slug, "tiers", raw)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'class="field-error"' in body
    assert message.replace('"', "&#34;") in body or message in body
    assert runs(app, tenants.a.id) == 0


def test_no_file_and_bad_kind(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    response = client.post(f"/t/{tenants.a.slug}/import/", data={"kind": "tiers"})
    assert response.status_code == 422 and "Choose a CSV file." in response.get_data(as_text=True)
    response = upload(client, tenants.a.slug, "invoices", csv_bytes(["Nom"], [["A"]]))
    assert response.status_code == 422
    assert runs(app, tenants.a.id) == 0


def test_too_many_rows_is_refused(app, client, auth, tenants, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 5)
    auth.login(tenants.a.admin_email)
    raw = csv_bytes(["Nom"], [[f"T{i}"] for i in range(6)])
    response = upload(client, tenants.a.slug, "tiers", raw)
    assert response.status_code == 422
    assert "at most 5 can be imported at once" in response.get_data(as_text=True)


def test_too_large_upload_gets_a_friendly_413(app, client, auth, tenants, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1024 * 1024)
    auth.login(tenants.a.admin_email)
    raw = csv_bytes(["Nom"], [["x" * 100] for _ in range(20_000)])  # 2 MB
    response = upload(client, tenants.a.slug, "tiers", raw)
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "at most 1 MB" in body and f"/t/{tenants.a.slug}/import/" in body
    assert runs(app, tenants.a.id) == 0


def test_too_large_upload_with_csrf_on_is_still_a_friendly_413(app, client, auth, tenants,
                                                                monkeypatch):
    # The CSRF check reads the form before any view: the limit must already hold then.
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1024 * 1024)
    auth.login(tenants.a.admin_email)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = upload(client, tenants.a.slug, "tiers", b"Nom\n" + b"x" * 2 * 1024 * 1024)
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)


def test_file_just_over_the_limit_inside_the_envelope(app, client, auth, tenants, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1000)
    auth.login(tenants.a.admin_email)
    response = upload(client, tenants.a.slug, "tiers", b"Nom\n" + b"x" * 2000)
    assert response.status_code == 422
    assert "The file is too large: at most 1 KB." in response.get_data(as_text=True)


