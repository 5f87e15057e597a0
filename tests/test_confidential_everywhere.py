"""One rule decides who reads a confidential comment — its author and the members of the
group it is shared with, administrators included in "nobody else" — and it holds in every
place that could show one: the email log (page and HTML part), the company export
(exchanges.csv, trash_items.csv, outbox_emails.csv), the trash and the audit log."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ExportRun, GroupMember, Membership, OutboxEmail
from ct.models.exchange_access import ConfidentialReader
from ct.models.export_run import DONE, KIND_TENANT, QUEUED
from ct.records.export import build_tenant_export
from ct.records.export_runs import export_dir
from tests.test_notify import add_member, make_exchange, notify

pytestmark = pytest.mark.usefixtures("english_messages")
SECRET = "Budget: 10,000 €"


@pytest.fixture
def export_to_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))


@pytest.fixture
def shared(app, tenants):
    """An exchange written by Emma, its confidential comment shared with the group of the
    tenant's member, who was notified: the admin is neither author nor in the group."""
    a = tenants.a
    emma = add_member(app, a.id, "emma@alpha.fr", "Emma Stone", language="en")
    exchange_id = make_exchange(app, a, [a.member_membership_id], author_id=emma,
                                made_by_id=emma)
    notify(app, a.id, exchange_id)
    with app.app_context(), bound_tenant(a.id):
        email = db.session.scalars(select(OutboxEmail)).one()
        assert SECRET in email.body_text  # the member may read it: it is in their email
        return a, emma, exchange_id, email.id


def test_the_rule(app, tenants):
    reader = ConfidentialReader(7, lambda: {3})
    assert reader.may_read(author_id=7, group_id=None)  # the author
    assert reader.may_read(author_id=1, group_id=3)  # a member of the group
    assert not reader.may_read(author_id=1, group_id=4)
    assert not reader.may_read(author_id=1, group_id=None)
    assert not ConfidentialReader.of(None).may_read(author_id=None, group_id=None)
    asked = []
    lazy = ConfidentialReader(7, lambda: asked.append(1) or {3})
    assert lazy.may_read(author_id=7, group_id=3) and not lazy.may_read(author_id=1, group_id=None)
    assert asked == []  # the groups are read only when the answer depends on them
    assert lazy.may_read(author_id=1, group_id=3) and lazy.may_read(author_id=2, group_id=3)
    assert asked == [1]  # and once


def test_the_email_log_hides_the_email_from_an_admin_outside_the_audience(
        app, client, auth, shared):
    a, _emma, _exchange_id, email_id = shared
    auth.login(a.admin_email)
    base = f"/t/{a.slug}/email-log"
    listing = client.get(f"{base}/").get_data(as_text=True)
    page = client.get(f"{base}/{email_id}").get_data(as_text=True)
    html = client.get(f"{base}/{email_id}/html").get_data(as_text=True)
    for shown in (listing, page, html):
        assert "Budget" not in shown and "10,000" not in shown
    assert "Confidential email" in listing and "Confidential email" in page
    assert "only its author and the members of the group" in page
    assert "email-html" not in page  # no frame for a part that is not shown


def test_the_email_log_shows_it_to_an_admin_in_the_audience(app, client, auth, shared):
    a, _emma, _exchange_id, email_id = shared
    with app.app_context(), bound_tenant(a.id):  # the admin joins the group
        db.session.add(GroupMember(group_id=a.group_id, membership_id=a.admin_membership_id))
        db.session.commit()
    auth.login(a.admin_email)
    page = client.get(f"/t/{a.slug}/email-log/{email_id}").get_data(as_text=True)
    html = client.get(f"/t/{a.slug}/email-log/{email_id}/html").get_data(as_text=True)
    assert SECRET in page and "10,000" in html


def export(app, tenant, membership_id: int) -> dict[str, list[dict]]:
    with app.app_context(), bound_tenant(tenant.id):
        run = ExportRun(kind=KIND_TENANT, status=QUEUED, created_by_id=membership_id)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    with app.app_context():
        build_tenant_export(tenant.id, run_id)
        with bound_tenant(tenant.id):
            run = db.session.scalar(select(ExportRun).where(ExportRun.id == run_id))
            assert run.status == DONE
            path = export_dir() / run.file_name
    with zipfile.ZipFile(path) as archive:
        return {name: list(csv.DictReader(io.TextIOWrapper(archive.open(name),
                                                           encoding="utf-8-sig")))
                for name in archive.namelist()}


def trash_it(client, auth, tenant, exchange_id: int) -> None:
    auth.login(tenant.admin_email)
    response = client.post(f"/t/{tenant.slug}/exchanges/{exchange_id}/delete")
    assert response.status_code in (200, 303), response.status_code


def test_the_export_empties_the_comment_the_exporting_admin_may_not_read(
        app, client, auth, shared, export_to_tmp):
    a, emma, exchange_id, _email_id = shared
    other = make_exchange(app, a, [], author_id=emma, made_by_id=emma,
                          confidential_comment="Trashed secret")
    trash_it(client, auth, a, other)

    files = export(app, a, a.admin_membership_id)
    whole = repr(files)
    assert "Budget" not in whole and "Trashed secret" not in whole
    [row] = [r for r in files["exchanges.csv"] if int(r["id"]) == exchange_id]
    assert row["confidential_comment"] == "" and row["comment"].startswith("Wants 12 units")
    assert files["trash_items.csv"]  # the trashed exchange is there, without its secret
    assert "subject" not in files["outbox_emails.csv"][0]
    assert "body_text" not in files["outbox_emails.csv"][0]

    # Exported by a reader of both comments (Emma, made an admin): both are there.
    with app.app_context(), bound_tenant(a.id):
        db.session.scalar(select(Membership).where(Membership.id == emma)).role = "admin"
        db.session.commit()
    whole = repr(export(app, a, emma))
    assert "Budget" in whole and "Trashed secret" in whole


def test_the_trash_and_the_audit_log_never_show_it(app, client, auth, shared):
    a, _emma, exchange_id, _email_id = shared
    trash_it(client, auth, a, exchange_id)
    for page in (f"/t/{a.slug}/trash/", f"/t/{a.slug}/audit/"):
        shown = client.get(page).get_data(as_text=True)
        assert client.get(page).status_code == 200
        assert "Budget" not in shown
