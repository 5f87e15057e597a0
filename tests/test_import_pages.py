"""The import pages: preview and report, the import itself, escaping, tenants."""


import pytest
from sqlalchemy import func, select

from ct.core.csvio import read_csv, write_csv
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ImportRun, Tiers
from tests.test_import_support import (
    add_tiers,
    csv_bytes,
    get_run,
    inline_jobs,  # noqa: F401 — fixture
    run_id_of,
    start,
    upload,
)

pytestmark = pytest.mark.usefixtures("inline_jobs", "english_messages")

TIERS_HEADER = ["Raison sociale", "Code client", "Type", "Courriel", "Téléphone", "Ville",
                "Chiffre d'affaires"]


def count(app, tenant_id, model=Tiers):
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(model.id)))


def page(client, slug, run_id):
    response = client.get(f"/t/{slug}/import/{run_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


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


def test_files_never_imported_are_dropped_after_a_week(app, client, auth, tenants):
    from datetime import timedelta

    from ct.models.base import utcnow

    auth.login(tenants.a.admin_email)
    old = run_id_of(upload(client, tenants.a.slug, "tiers", _tiers_file(2)))
    done = run_id_of(upload(client, tenants.a.slug, "tiers", _tiers_file(1)))
    start(client, tenants.a.slug, done)
    with app.app_context(), bound_tenant(tenants.a.id):
        for run in db.session.scalars(select(ImportRun)):
            run.created_at = utcnow() - timedelta(days=8)
        db.session.commit()
    recent = run_id_of(upload(client, tenants.a.slug, "tiers", _tiers_file(2)))
    with app.app_context(), bound_tenant(tenants.a.id):
        kept = set(db.session.scalars(select(ImportRun.id)))
    assert kept == {done, recent}  # the finished import stays in the history
    assert client.get(f"/t/{tenants.a.slug}/import/{old}").status_code == 404


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_in_both_languages(client, auth, tenants, language):
    auth.login(tenants.a.admin_email)
    client.post("/language", data={"language": language})
    run_id = run_id_of(upload(client, tenants.a.slug, "tiers",
                              csv_bytes(["Nom", "Email"], [["Acme", "bad"], ["Beta", ""]])))
    body = page(client, tenants.a.slug, run_id)
    assert f'<html lang="{language}">' in body
    start(client, tenants.a.slug, run_id, "valid")
    assert f'<html lang="{language}">' in page(client, tenants.a.slug, run_id)
    index = client.get(f"/t/{tenants.a.slug}/import/")
    assert index.status_code == 200 and f'<html lang="{language}">' in index.get_data(as_text=True)


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
