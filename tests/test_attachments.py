"""Attachments through the exchange form: several files kept with their type read from
the content, served only to who may see the exchange and always as a download; bad files
(30 MB, a zip bomb named .pdf, a program, too many) refused next to the field with
nothing written; removed with the edit; the bytes follow the transaction."""
# ruff: noqa: F811

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from ct.attachments.files import attach, check
from ct.core.permissions import READ_OWN_EXCHANGES, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import AuditEntry, Exchange, ExchangeAttachment, Membership
from tests.admin_support import set_rights
from tests.attachment_support import EXE, PDF, png, stored_files, zip_bomb
from tests.downloads import fetch
from tests.exchange_records import exchange_data, records  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")
MB = 1024 * 1024


@pytest.fixture
def admin(auth, tenants):
    auth.login(tenants.a.admin_email)
    return tenants.a


def send_form(client, url: str, data: dict):
    """POST as a browser sends a form with files. The body is encoded here, in memory:
    the test client spools a large one to a temporary file it never closes."""
    boundary, body = encode_multipart(MultiDict(
        [(k, v) for k, values in data.items()
         for v in (values if isinstance(values, list) else [values])]))
    return client.post(url, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def post_new(client, side, files, **fields):
    data = exchange_data(side, **fields) | {
        "attachments": [FileStorage(io.BytesIO(content), name) for name, content in files]}
    return send_form(client, f"/t/{side.slug}/exchanges/new", data)


def attachments_of(app, tenant_id: int) -> list[dict]:
    with app.app_context(), bound_tenant(tenant_id):
        return [{"id": a.id, "exchange": a.exchange_id, "name": a.filename,
                 "type": a.content_type, "size": a.size, "key": a.storage_key,
                 "source": a.source}
                for a in db.session.scalars(select(ExchangeAttachment)
                                            .order_by(ExchangeAttachment.id))]


def exchange_count(app, tenant_id: int) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return len(db.session.scalars(select(Exchange.id)).all())



def download_url(side, row) -> str:
    return f"/t/{side.slug}/exchanges/{row['exchange']}/attachments/{row['id']}"


def test_several_files_kept_with_the_type_their_content_shows(app, client, admin, records):
    a = records.a
    response = post_new(client, a, [("Devis n°12.pdf", PDF), ("photo du site.png", png(3, 2)),
                                    ("notes.txt", png()), ("page.html", b"<script>x()</script>")])
    assert response.status_code == 303
    rows = attachments_of(app, admin.id)
    assert [(r["name"], r["type"], r["source"]) for r in rows] == [
        ("Devis n°12.pdf", "application/pdf", "upload"),
        ("photo du site.png", "image/png", "upload"),
        ("notes.txt", "image/png", "upload"),  # the content, not the name
        ("page.html", "text/plain", "upload"),  # never served as a page
    ]
    assert rows[0]["size"] == len(PDF)
    assert all(r["key"].startswith(f"{admin.id}/") for r in rows)
    assert len(stored_files(app, admin.id)) == 4

    card = client.get(response.headers["Location"]).text
    assert "Devis n°12.pdf" in card and download_url(a, rows[0]) in card

    served = fetch(client, download_url(a, rows[0]))
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Devis%20n%C2%B012.pdf" in served.headers["Content-Disposition"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "private, no-store"
    assert served.headers["Content-Security-Policy"].startswith("sandbox")
    assert int(served.headers["Content-Length"]) == len(PDF)
    page = fetch(client, download_url(a, rows[3]))
    assert page.headers["Content-Type"].startswith("text/plain")
    assert page.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("devis.pdf", lambda: zip_bomb(), "“devis.pdf” is not a PDF file"),
    ("plan.pdf", lambda: b"\x00" * 30 * MB, "“plan.pdf” is 30 MB: a file may be 20 MB at most."),
    ("setup.exe", lambda: EXE, "“setup.exe”: programs and scripts cannot be attached."),
    ("facture.pdf.js", lambda: b"alert(1)", "programs and scripts cannot be attached"),
    ("photo.jpg", lambda: PDF, "“photo.jpg” is not a JPG file"),
    ("vide.txt", lambda: b"", "“vide.txt” is empty."),
])
def test_a_refused_file_is_said_next_to_the_field_and_nothing_is_written(
        app, client, admin, records, name, content, message):
    response = post_new(client, records.a, [("bon.pdf", PDF), (name, content())])
    assert response.status_code == 422
    error = re.search(r'<small id="attachments-error" class="field-error">([^<]*)</small>',
                      response.text)
    assert error and message in error.group(1).replace("&#34;", '"')
    assert 'aria-invalid="true"' in response.text
    assert exchange_count(app, admin.id) == 0
    assert attachments_of(app, admin.id) == [] and stored_files(app, admin.id) == []


def test_a_text_posted_as_attachments_is_no_file(app, client, admin, records):
    data = exchange_data(records.a) | {"attachments": "not-a-file.pdf"}
    assert client.post(f"/t/{admin.slug}/exchanges/new", data=data).status_code == 303
    assert attachments_of(app, admin.id) == [] and exchange_count(app, admin.id) == 1


def test_a_zip_bomb_named_zip_is_kept_as_it_is_never_unpacked(app, client, admin, records):
    bomb = zip_bomb(200)
    assert len(bomb) < MB  # 200 MB once unpacked
    assert post_new(client, records.a, [("archive.zip", bomb)]).status_code == 303
    [row] = attachments_of(app, admin.id)
    assert row["type"] == "application/zip" and row["size"] == len(bomb)
    assert fetch(client, download_url(records.a, row)).data == bomb


def test_too_many_files_at_once_or_for_the_exchange(app, client, admin, records, monkeypatch):
    files = [(f"page{i}.pdf", PDF) for i in range(6)]
    response = post_new(client, records.a, files)
    assert response.status_code == 422 and "At most 5 files at a time." in response.text
    assert exchange_count(app, admin.id) == 0

    monkeypatch.setitem(app.config, "ATTACHMENTS_PER_EXCHANGE", 3)
    assert post_new(client, records.a, files[:2]).status_code == 303
    [exchange_id] = {r["exchange"] for r in attachments_of(app, admin.id)}
    edit = send_form(client, f"/t/{admin.slug}/exchanges/{exchange_id}/edit",
                     exchange_data(records.a) | {"attachments": [
                         FileStorage(io.BytesIO(PDF), "a.pdf"),
                         FileStorage(io.BytesIO(PDF), "b.pdf")]})
    assert edit.status_code == 422
    assert "An exchange keeps 3 files at most: 1 more can be added." in edit.text
    assert len(attachments_of(app, admin.id)) == 2


def test_a_request_larger_than_the_form_may_send_is_413_with_a_message(
        app, client, htmx, admin, records, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 100 * 1024)  # form limit 1.5 MB
    htmx.post("/login", data={"email": admin.admin_email, "password": "correct horse battery"})
    for sender in (client, htmx):
        response = post_new(sender, records.a, [("big.pdf", PDF + b"\x00" * 2 * MB)])
        assert response.status_code == 413
        assert "The files are too large together: send at most 1.5 MB at a time." in \
            response.text
    assert response.headers["HX-Retarget"] == "#flashes"
    assert exchange_count(app, admin.id) == 0 and stored_files(app, admin.id) == []
    # Every other request of the application keeps its own, smaller limit.
    assert send_form(client, f"/t/{admin.slug}/tiers/new",
                     {"name": "y" * 17 * MB}).status_code == 413


def test_the_edit_removes_files_and_their_bytes_once_saved(app, client, admin, records):
    a = records.a
    assert post_new(client, a, [("un.pdf", PDF), ("deux.png", png())]).status_code == 303
    first, second = attachments_of(app, admin.id)
    edit_url = f"/t/{admin.slug}/exchanges/{first['exchange']}/edit"
    form = client.get(edit_url).text
    assert f'name="remove_attachment_ids" value="{first["id"]}"' in form
    assert 'enctype="multipart/form-data"' in form and 'hx-encoding="multipart/form-data"' in form

    # Another exchange's file id is not this one's to remove: refused, nothing changes.
    other = post_new(client, a, [("autre.pdf", PDF)], form_token="another-token")
    assert other.status_code == 303
    third = attachments_of(app, admin.id)[2]
    refused = send_form(client, edit_url, exchange_data(a) | {
        "remove_attachment_ids": [str(first["id"]), str(third["id"])]})
    assert refused.status_code == 422 and "Remove files of this exchange only." in refused.text
    assert len(attachments_of(app, admin.id)) == 3
    response = send_form(client, edit_url, exchange_data(a) | {
        "remove_attachment_ids": [str(first["id"])],
        "attachments": [FileStorage(io.BytesIO(PDF), "trois.pdf")]})
    assert response.status_code == 303
    rows = attachments_of(app, admin.id)
    assert [r["name"] for r in rows] == ["deux.png", "autre.pdf", "trois.pdf"]
    assert len(stored_files(app, admin.id)) == 3
    assert client.get(download_url(a, first)).status_code == 404
    with app.app_context(), bound_tenant(admin.id):
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_id == first["exchange"], AuditEntry.action == "exchange.update")
        ).all()[-1]
        assert entry.before["attachments"] == ["deux.png", "un.pdf"]
        assert entry.after["attachments"] == ["deux.png", "trois.pdf"]
    history = client.get(f"/t/{admin.slug}/audit/history/exchange/{first['exchange']}").text
    assert "Attachments" in history and "trois.pdf" in history


def test_only_those_who_may_see_the_exchange_download(app, client, auth, tenants, records):
    auth.login(tenants.a.admin_email)
    assert post_new(client, records.a, [("devis.pdf", PDF)]).status_code == 303
    [row] = attachments_of(app, tenants.a.id)
    url = download_url(records.a, row)
    auth.logout()

    auth.login(tenants.b.admin_email)  # another company: its own address, or theirs
    assert client.get(url).status_code == 404
    assert client.get(url.replace(records.a.slug, records.b.slug)).status_code == 404
    auth.logout()

    # A member who reads only their own exchanges does not see the admin's.
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               [READ_OWN_EXCHANGES, WRITE_EXCHANGES])
    auth.login(tenants.a.member_email)
    assert client.get(url).status_code == 404
    auth.logout()
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, [READ_OWN_EXCHANGES,
                                                                   "exchanges.read_all"])
    auth.login(tenants.a.member_email)
    assert fetch(client, url).status_code == 200
    auth.logout()
    # A file id under another exchange's address is not found.
    auth.login(tenants.a.admin_email)
    assert post_new(client, records.a, [("x.pdf", PDF)], form_token="t3").status_code == 303
    other = attachments_of(app, tenants.a.id)[-1]
    assert client.get(f"/t/{records.a.slug}/exchanges/{other['exchange']}/attachments/"
                      f"{row['id']}").status_code == 404
    auth.logout()
    assert client.get(url).status_code in (302, 303)  # signed out: to the login page


def test_trash_keeps_the_bytes_restore_brings_the_files_back_purge_deletes_them(
        app, client, admin, records):
    a = records.a
    assert post_new(client, a, [("devis.pdf", PDF)]).status_code == 303
    [row] = attachments_of(app, admin.id)
    assert client.post(f"/t/{admin.slug}/exchanges/{row['exchange']}/delete").status_code == 303
    assert attachments_of(app, admin.id) == [] and len(stored_files(app, admin.id)) == 1
    assert client.get(download_url(a, row)).status_code == 404

    with app.app_context(), bound_tenant(admin.id):
        from ct.models import TrashItem
        item_id = db.session.scalar(select(TrashItem.id))
    assert client.post(f"/t/{admin.slug}/trash/{item_id}/restore").status_code == 303
    [back] = attachments_of(app, admin.id)
    assert back["key"] == row["key"] and back["name"] == "devis.pdf"
    assert fetch(client, download_url(a, back)).data == PDF

    assert client.post(f"/t/{admin.slug}/exchanges/{back['exchange']}/delete").status_code == 303
    with app.app_context(), bound_tenant(admin.id):
        from ct.models import TrashItem
        item_id = db.session.scalar(select(TrashItem.id))
    assert client.post(f"/t/{admin.slug}/trash/{item_id}/purge").status_code == 303
    assert stored_files(app, admin.id) == []


def test_the_clocks_purge_of_old_trash_deletes_the_files(app, client, admin, records):
    from datetime import timedelta

    from ct.models import TrashItem
    from ct.models.base import utcnow
    from ct.records.trash import purge_expired_trash

    assert post_new(client, records.a, [("devis.pdf", PDF)]).status_code == 303
    [row] = attachments_of(app, admin.id)
    assert client.post(f"/t/{admin.slug}/exchanges/{row['exchange']}/delete").status_code == 303
    with app.app_context(), bound_tenant(admin.id):
        db.session.scalar(select(TrashItem)).deleted_at = utcnow() - timedelta(days=31)
        db.session.commit()
    with app.app_context():
        assert purge_expired_trash() == 1
    assert stored_files(app, admin.id) == []


def test_the_bytes_follow_the_transaction(app, tenants, records):
    with app.app_context(), bound_tenant(tenants.a.id):
        admin_id = tenants.a.admin_membership_id
        exchange = Exchange(tiers_id=records.a.tiers, author_id=admin_id, made_by_id=admin_id)
        db.session.add(exchange)
        db.session.commit()
        member = db.session.get(Membership, admin_id)
        attach(exchange, [check("devis.pdf", io.BytesIO(PDF))], member)
        db.session.flush()
        assert len(stored_files(app, tenants.a.id)) == 1
        db.session.rollback()  # the save failed: no file left behind
        assert stored_files(app, tenants.a.id) == []
        attach(exchange, [check("devis.pdf", io.BytesIO(PDF))], member)
        db.session.commit()
        assert len(stored_files(app, tenants.a.id)) == 1
