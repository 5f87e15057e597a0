"""The import pages: upload, bad files, preview and report, import, rights and tenants."""

import os

import pytest
from sqlalchemy import func, select

from ct.csvio import read_csv, write_csv
from ct.extensions import db
from ct.models import ImportRun, Membership, Tiers
from ct.permissions import MANAGE_RECORDS
from ct.tenancy import bound_tenant
from tests.test_import_support import (
    add_tiers,
    csv_bytes,
    get_run,
    inline_jobs,  # noqa: F401 — fixture
    run_id_of,
    start,
    upload,
)

pytestmark = pytest.mark.usefixtures("inline_jobs")

TIERS_HEADER = ["Raison sociale", "Code client", "Type", "Courriel", "Téléphone", "Ville",
                "Chiffre d'affaires"]


def count(app, tenant_id, model=Tiers):
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(model.id)))


def page(client, slug, run_id):
    response = client.get(f"/t/{slug}/import/{run_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


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
    assert count(app, tenants.a.id, ImportRun) == 0


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
    assert count(app, tenants.a.id, ImportRun) == 0


def test_no_file_and_bad_kind(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    response = client.post(f"/t/{tenants.a.slug}/import/", data={"kind": "tiers"})
    assert response.status_code == 422 and "Choose a CSV file." in response.get_data(as_text=True)
    response = upload(client, tenants.a.slug, "invoices", csv_bytes(["Nom"], [["A"]]))
    assert response.status_code == 422
    assert count(app, tenants.a.id, ImportRun) == 0


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
    assert count(app, tenants.a.id, ImportRun) == 0


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


# --- preview, report and import ------------------------------------------------------------

def _tiers_file(n=12, encoding="cp1252"):
    rows = [[f"Société Lefèvre {i}", f"C{i}", "client, fournisseur", f"contact{i}@lefevre.fr",
             "01 23 45 67 89", "Orléans", "1 000 €"] for i in range(n)]
    return csv_bytes(TIERS_HEADER, rows, encoding=encoding)


def test_preview_then_import_everything(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", _tiers_file(), "clients.csv"))
    body = page(client, tenants.a.slug, run_id)
    assert "Windows-1252" in body and "semicolon" in body
    assert "No errors: every row can be imported." in body
    assert "Chiffre d&#39;affaires" in body  # the ignored column is listed
    assert body.count("Société Lefèvre") == 10  # the first ten rows
    assert "Customer, Supplier" in body
    assert 'name="mode" value="all"' in body and 'value="valid"' not in body
    assert count(app, tenants.a.id) == 0  # nothing written before the user says so

    response = start(client, tenants.a.slug, run_id)
    assert response.status_code == 303
    body = page(client, tenants.a.slug, run_id)
    assert "12 third parties imported." in body
    assert f'href="/t/{tenants.a.slug}/tiers/"' in body
    with app.app_context(), bound_tenant(tenants.a.id):
        tiers = db.session.scalars(select(Tiers).order_by(Tiers.id)).all()
        assert len(tiers) == 12
        first = tiers[0]
        assert (first.name, first.customer_code, first.town) == (
            "Société Lefèvre 0", "C0", "Orléans")
        assert first.kinds == ["customer", "supplier"]
        assert (first.sort_key, first.name_key) == ("societe lefevre 0", "societe lefevre 0")
        assert "contact0@lefevre.fr" in first.search_text and "orleans" in first.search_text
        assert first.created_by_id == tenants.a.admin_membership_id and first.active
        run = db.session.scalar(select(ImportRun).where(ImportRun.id == run_id))
        assert run.content is None  # the file is not kept once imported
    assert count(app, tenants.b.id) == 0


def test_rows_with_errors_block_the_full_import_but_valid_rows_can_go(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    raw = csv_bytes(["Nom", "Email"], [["Acme", "a@acme.fr"], ["", "x@y.fr"], ["Beta", "nope"],
                                       ["Gamma", ""]])
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", raw))
    body = page(client, tenants.a.slug, run_id)
    assert "2 rows have errors and cannot be imported." in body
    assert "The name is empty." in body and "Not a valid email address." in body
    assert 'value="all"' not in body and "Import the 2 valid rows" in body

    response = start(client, tenants.a.slug, run_id, "all")  # forged: errors remain
    assert response.status_code == 422
    assert count(app, tenants.a.id) == 0

    assert start(client, tenants.a.slug, run_id, "valid").status_code == 303
    assert "2 rows with errors were left out." in page(client, tenants.a.slug, run_id)
    with app.app_context(), bound_tenant(tenants.a.id):
        assert sorted(db.session.scalars(select(Tiers.name))) == ["Acme", "Gamma"]


def test_starting_twice_imports_once(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", _tiers_file(3)))
    assert start(client, tenants.a.slug, run_id).status_code == 303
    assert start(client, tenants.a.slug, run_id).status_code == 303
    assert count(app, tenants.a.id) == 3
    assert get_run(app, tenants.a.id, run_id).imported == 3


def test_error_report_download(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    raw = csv_bytes(["Nom", "Email"], [["", "x@y.fr"], ["Acme", "bad"]])
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", raw))
    response = client.get(f"/t/{tenants.a.slug}/import/{run_id}/report.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    table = read_csv(response.data)
    assert table.delimiter == ";"  # French by default: semicolons for French spreadsheets
    assert [r.cells[:2] for r in table.rows] == [["2", "Nom"], ["3", "Email"]]


def test_html_in_cells_and_file_name_is_escaped(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    payload = "<script>alert(1)</script>"
    raw = csv_bytes(["Nom", "Ville"], [[payload, "<b>Paris</b>"]])
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", raw, f"{payload}.csv"))
    body = page(client, tenants.a.slug, run_id)
    assert payload not in body and "<b>Paris</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    start(client, tenants.a.slug, run_id)
    assert payload not in client.get(f"/t/{tenants.a.slug}/import/").get_data(as_text=True)
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(Tiers.name)) == payload  # stored as typed


def test_formula_cells_imported_as_text_and_exported_safely(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    typed = ["=cmd|' /C calc'!A0", "+SUM(1)", "@foo", "-1+2"]
    raw = csv_bytes(["Nom"], [[v] for v in typed])
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", raw))
    start(client, tenants.a.slug, run_id)
    with app.app_context(), bound_tenant(tenants.a.id):
        names = list(db.session.scalars(select(Tiers.name).order_by(Tiers.id)))
    assert names == typed
    exported = write_csv(["Nom"], [[n] for n in names]).decode("utf-8-sig").split("\r\n")
    assert exported[1:5] == ["'=cmd|' /C calc'!A0", "'+SUM(1)", "'@foo", "'-1+2"]


def test_contacts_import_links_tiers_of_this_tenant_only(app, client, auth, tenants):
    ids = add_tiers(app, tenants.a.id, ("Dupont SARL", "D1"))
    add_tiers(app, tenants.b.id, ("Zeta Industrie", "Z1"))
    auth.login(tenants.a.admin_email)
    raw = csv_bytes(["Prénom", "Nom", "Société", "Code client", "Portable"], [
        ["Jeanne", "Martin", "Dupont", "", "06 12 34 56 78"],
        ["Paul", "Durand", "Zeta Industrie", "", ""],
        ["Anne", "Petit", "", "Z1", ""],
    ])
    run_id = run_id_of(upload(client, tenants.a.slug, "contacts", raw))
    body = page(client, tenants.a.slug, run_id)
    assert "No third party is named “Zeta Industrie”." in body
    assert "No third party has the customer code “Z1”." in body
    assert "Dupont SARL" in body  # the preview shows the third party found
    start(client, tenants.a.slug, run_id, "valid")
    from ct.models import Contact

    with app.app_context(), bound_tenant(tenants.a.id):
        contacts = db.session.scalars(select(Contact)).all()
        assert [(c.full_name, c.tiers_id, c.mobile) for c in contacts] == [
            ("Jeanne Martin", ids["Dupont SARL"], "06 12 34 56 78")]
        assert contacts[0].sort_key == "martin jeanne"
    assert count(app, tenants.b.id, Contact) == 0


# --- tenants -------------------------------------------------------------------------------

def test_another_tenant_cannot_see_or_continue_an_import(app, client, auth, tenants):
    auth.login(tenants.a.admin_email)
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers", _tiers_file(3)))
    auth.logout()
    auth.login(tenants.b.admin_email)
    for slug in (tenants.b.slug, tenants.a.slug):
        base = f"/t/{slug}/import/{run_id}"
        assert client.get(base).status_code == 404
        assert client.get(f"{base}/report.csv").status_code == 404
        assert client.post(f"{base}/start", data={"mode": "all"}).status_code == 404
    assert count(app, tenants.a.id) == count(app, tenants.b.id) == 0
    assert get_run(app, tenants.a.id, run_id).status == "ready"
    assert "file.csv" not in client.get(f"/t/{tenants.b.slug}/import/").get_data(as_text=True)
