"""CSV export of the exchanges list: right, encoding, separators, formula safety,
confidentiality, filters and streaming."""

import csv
import io

import pytest
from sqlalchemy import event, select

from ct.blueprints.exchange_list import export as export_module
from ct.core.permissions import EXPORT
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Membership, Tiers
from tests.exchange_data import (
    RESTRICTED_EMAIL,
    add,
    add_many,
    in_english,
    world,  # noqa: F401 — fixture
)
from tests.sql_count import counting_queries

HEADER = ["Date", "Third party", "Contacts", "Mode", "Object", "Status", "Made by", "Author",
          "Comment", "Document", "Project"]


def export_url(w, query=""):
    return f"/t/{w.slug}/exchanges/export.csv{query}"


def rows_of(response, delimiter=","):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def login_en(client, auth, email="alice@alpha.fr"):
    auth.login(email)
    in_english(client, email)


def test_export_needs_the_export_right(client, auth, world):  # noqa: F811
    add(world, world.tiers["dupont"], world.restricted_id, comment="EX1")
    auth.login(RESTRICTED_EMAIL)  # the restricted preset has no export right
    assert client.get(export_url(world)).status_code == 403
    assert b"export.csv" not in client.get(f"/t/{world.slug}/exchanges/").data


def test_utf8_bom_comma_header_and_every_column(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.member_id, made_by_id=w.admin_id, minutes=90,
        contacts=[w.contacts["jeanne"], w.contacts["paul"]], mode_id=w.modes["phone"],
        object_id=w.objects["quote"], status="todo", comment="Rappeler lundi, « urgent »",
        document_id=w.document_id, project_id=w.project_id)
    add(w, w.tiers["martin"], w.admin_id, comment="Plus ancien")
    login_en(client, auth)
    response = client.get(export_url(w))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="exchanges-')
    rows = rows_of(response)
    assert rows[0] == HEADER
    assert rows[1] == [
        "2026-03-10 11:30",  # 09:00 UTC + 90 min, in Paris time
        "Dupont SARL", "Jeanne Dupont, Paul Durand", "Phone", "Quote", "To do",
        "Admin Alpha Conseil", "Member Alpha Conseil", "Rappeler lundi, « urgent »",
        "DEV-001", "PRJ-1 — Salon 2026"]
    assert rows[2][1] == "Martin & Fils" and rows[2][8] == "Plus ancien"
    assert len(rows) == 3


def test_semicolon_option(client, auth, world):  # noqa: F811
    add(world, world.tiers["martin"], world.admin_id, comment="un; deux")
    login_en(client, auth)
    response = client.get(export_url(world, "?sep=semicolon"))
    rows = rows_of(response, delimiter=";")
    assert rows[0] == HEADER and rows[1][8] == "un; deux"
    assert response.get_data(as_text=True).splitlines()[0].count(";") == len(HEADER) - 1


@pytest.mark.parametrize("comment", [
    '=HYPERLINK("http://evil.test","x")', "+33 1 23 45 67 89", "-2+3", "@SUM(A1:A2)",
    "\tcmd", "\rcmd",
])
def test_formula_cells_get_an_apostrophe(client, auth, world, comment):  # noqa: F811
    add(world, world.tiers["dupont"], world.admin_id, comment=comment)
    login_en(client, auth)
    rows = rows_of(client.get(export_url(world)))
    assert rows[1][8] == "'" + comment


def test_html_stays_raw_but_safe_and_tiers_names_too(client, auth, world):  # noqa: F811
    w = world
    with w.app.app_context(), bound_tenant(w.tenant_id):
        tiers = db.session.scalar(select(Tiers).where(Tiers.id == w.tiers["martin"]))
        tiers.name = "=cmd|' /C calc'!A0"
        db.session.commit()
    add(w, w.tiers["martin"], w.admin_id, comment='<script>alert("x")</script>')
    login_en(client, auth)
    rows = rows_of(client.get(export_url(w)))
    assert rows[1][8] == '<script>alert("x")</script>'  # data, not a web page: not escaped
    assert rows[1][1] == "'=cmd|' /C calc'!A0"


def test_confidential_comment_never_exported(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id, comment="visible",
        confidential_comment="TOPSECRET", confidential_group_id=w.group_id)
    for email in ("alice@alpha.fr", "arthur@alpha.fr"):  # the author, a group member
        login_en(client, auth, email)
        text = client.get(export_url(w)).get_data(as_text=True)
        assert "visible" in text and "TOPSECRET" not in text
        assert "visible" not in client.get(export_url(w, "?q=topsecret")).get_data(as_text=True)
        auth.logout()


def test_export_follows_the_filters_and_the_rights(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.restricted_id, status="todo", comment="EX1 mine")
    add(w, w.tiers["dupont"], w.admin_id, status="todo", comment="EX2 admin's")
    add(w, w.tiers["martin"], w.restricted_id, comment="EX3 mine closed")
    login_en(client, auth)
    rows = rows_of(client.get(export_url(w, "?status=todo&sort=date_asc")))
    assert [r[8] for r in rows[1:]] == ["EX1 mine", "EX2 admin's"]
    auth.logout()
    with w.app.app_context(), bound_tenant(w.tenant_id):
        member = db.session.scalar(select(Membership).where(Membership.id == w.restricted_id))
        member.rights = [*member.rights, EXPORT]
        db.session.commit()
    login_en(client, auth, RESTRICTED_EMAIL)
    rows = rows_of(client.get(export_url(w)))
    assert sorted(r[8] for r in rows[1:]) == ["EX1 mine", "EX3 mine closed"]


def test_bad_filters_and_other_tenants(client, auth, world):  # noqa: F811
    login_en(client, auth)
    response = client.get(export_url(world, f"?tiers={world.b['dupont']}"))
    assert response.status_code == 422
    assert b"Choose an existing third party." in response.data
    assert client.get(f"/t/{world.b_slug}/exchanges/export.csv").status_code == 404


def test_rows_stream_in_keyset_batches(app, client, auth, world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(export_module, "BATCH", 10)
    add_many(world, world.tiers["dupont"], world.admin_id, 25)
    login_en(client, auth)
    with app.app_context():
        engine = db.engine  # the stream pushes its own contexts: listen on the engine itself
    batches = []

    def note(conn, cursor, statement, *args):
        if "FROM exchanges" in statement and "LIMIT" in statement:
            batches.append(statement)

    response = client.get(export_url(world))
    assert response.is_streamed
    chunks = iter(response.response)
    event.listen(engine, "before_cursor_execute", note)
    try:
        with counting_queries(app) as statements:
            first = next(chunks)
        assert not statements  # the header leaves before any exchange is read
        rest = b"".join(chunks)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert first.decode("utf-8").startswith("\ufeffDate,")
    assert len(batches) == 3  # 10 + 10 + 5, each batch its own keyset query
    lines = (first + rest).decode("utf-8").splitlines()
    assert len(lines) == 26 and lines[1].endswith(",Appel 24,,")
