"""The exchange card: every field, the confidential part for those allowed only, edit,
status buttons, deletion — and 404 for anyone who may not read the exchange."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import json

import pytest
from flask import url_for
from sqlalchemy import delete

from ct.auth import accounts
from ct.core.permissions import DELETE_EXCHANGES, READ_OWN_EXCHANGES, ROLE_ADMIN, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import GroupMember, Membership
from tests.admin_support import set_rights
from tests.exchange_records import (  # noqa: F401
    RESTRICTED,
    counts,
    exchange_data,
    only_exchange,
    records,
    set_settings,
)
from tests.test_exchange_validation import error_of

SECRET = "Discount up to 15% agreed"

# Messages are asserted in English (the users of the fixtures are French).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def exchange(app, client, auth, tenants, records):
    """An exchange written by Alice (admin of a), confidential part shared with the group."""
    a = records.a
    set_settings(app, tenants.a.id, confidential_comments=True, product_ids=[a.product])
    auth.login(tenants.a.admin_email)
    response = client.post(f"/t/{a.slug}/exchanges/new", data=exchange_data(
        a, contact_ids=[str(a.contact)], mode_id=str(a.mode), document_id=str(a.document),
        project_id=str(a.project), product_ids=str(a.product), comment="Line one\nLine two",
        confidential_comment=SECRET, confidential_group_id=str(a.group), add_task="y",
        task_label="Send the quote", task_project_id=str(a.project), add_event="y",
        event_title="Demo", event_start="2030-02-01T10:00"))
    assert response.status_code == 303
    auth.logout()
    return only_exchange(app, tenants.a.id)


def card_url(tenants, exchange, suffix=""):
    return f"/t/{tenants.a.slug}/exchanges/{exchange.id}{suffix}"


def test_card_shows_every_field(client, auth, tenants, records, exchange):
    auth.login(tenants.a.admin_email)
    html = client.get(card_url(tenants, exchange)).get_data(as_text=True)
    for text in ("Dupont Industrie", "Éloïse Durand", "DEV-001", "PRJ-1 — Déploiement",
                 "Maintenance", "Line one\nLine two", "Send the quote", "Demo", "Phone",
                 "Admin Alpha Conseil", SECRET, "Team Alpha Conseil"):
        assert text in html, text
    assert 'aria-pressed="true">Closed</button>' in html
    assert f'href="{card_url(tenants, exchange, "/edit")}"' in html
    assert f'href="{card_url(tenants, exchange, "/delete")}"' in html


def test_card_links_to_every_record(app, client, auth, tenants, records, exchange):
    auth.login(tenants.a.admin_email)
    html = client.get(card_url(tenants, exchange)).get_data(as_text=True)
    for endpoint, values in (("tiers.card", {"tiers_id": records.a.tiers}),
                             ("contacts.show", {"contact_id": records.a.contact}),
                             ("documents.show", {"document_id": records.a.document}),
                             ("projects.card", {"project_id": records.a.project})):
        with app.test_request_context():
            url = url_for(endpoint, slug=tenants.a.slug, **values)
        assert f'href="{url}"' in html, endpoint
    with app.test_request_context():
        project_card = url_for("projects.card", slug=tenants.a.slug, project_id=records.a.project)
    assert f'href="{project_card}#task-' in html  # the follow-up task, on its project's card


def test_card_fragment_for_htmx_refresh(htmx, tenants, exchange):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    html = htmx.get(card_url(tenants, exchange)).get_data(as_text=True)
    assert html.lstrip().startswith('<article id="exchange-card"') and "<html" not in html
    assert 'hx-trigger="exchange-saved from:body"' in html


def test_confidential_part_hidden_from_a_non_member_of_the_group(app, client, auth, tenants,
                                                                 records, exchange):
    # A second administrator of tenant a, outside the group: even admins do not see it.
    with app.app_context(), bound_tenant(tenants.a.id):
        Membership.create(accounts.create_user("root@alpha.fr", "Root", "correct horse battery",
                                               "en"), ROLE_ADMIN)
        db.session.commit()
    auth.login("root@alpha.fr")
    for url in (card_url(tenants, exchange), card_url(tenants, exchange, "/edit"),
                card_url(tenants, exchange, "/delete")):
        html = client.get(url).get_data(as_text=True)
        assert SECRET not in html and "Team Alpha Conseil" not in html, url
    assert 'name="confidential_comment"' not in client.get(
        card_url(tenants, exchange, "/edit")).get_data(as_text=True)


def test_confidential_part_shown_to_a_group_member(client, auth, tenants, exchange):
    auth.login(tenants.a.member_email)  # Arthur is in "Team Alpha Conseil"
    assert SECRET in client.get(card_url(tenants, exchange)).get_data(as_text=True)


def test_editing_without_seeing_the_confidential_part_keeps_it(app, client, auth, tenants,
                                                               records, exchange):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               ["exchanges.read_all", WRITE_EXCHANGES])
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.execute(delete(GroupMember))
        db.session.commit()
    auth.login(tenants.a.member_email)
    response = client.post(card_url(tenants, exchange, "/edit"), data=exchange_data(
        records.a, comment="Edited", confidential_comment="overwritten?", form_token=""))
    assert response.status_code == 303
    edited = only_exchange(app, tenants.a.id)
    assert edited.comment == "Edited" and edited.confidential_comment == SECRET
    assert edited.author_id == tenants.a.admin_membership_id


def test_edit_is_the_same_form_prefilled_and_saves(app, client, htmx, auth, tenants, records,
                                                   exchange):
    auth.login(tenants.a.admin_email)
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    dialog = htmx.get(card_url(tenants, exchange, "/edit")).get_data(as_text=True)
    assert "<dialog" in dialog and "Edit the exchange" in dialog
    assert f'name="contact_ids" value="{records.a.contact}" checked' in dialog
    assert "Line one" in dialog and 'name="form_token"' not in dialog
    assert 'name="add_task"' not in dialog and "Send the quote" in dialog  # already has one
    response = htmx.post(card_url(tenants, exchange, "/edit"), data=exchange_data(
        records.a, contact_ids=[str(records.a.contact2)], status="in_progress", in_dialog="1",
        confidential_comment=SECRET, confidential_group_id=str(records.a.group)))
    assert response.status_code == 200
    assert json.loads(response.headers["HX-Trigger"])["exchange-saved"]["id"] == exchange.id
    edited = only_exchange(app, tenants.a.id)
    assert edited.status == "in_progress" and edited.task_id == exchange.task_id
    assert counts(app, tenants.a.id)["Exchange"] == 1
    html = client.get(card_url(tenants, exchange)).get_data(as_text=True)
    assert "Paul Bernard" in html and "Éloïse Durand" not in html


def test_edit_errors_come_back_with_422(client, auth, tenants, records, exchange):
    auth.login(tenants.a.admin_email)
    response = client.post(card_url(tenants, exchange, "/edit"),
                           data=exchange_data(records.a, tiers_id=str(records.b.tiers)))
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "tiers_id")


def test_status_buttons(app, client, htmx, auth, tenants, exchange):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    response = htmx.post(card_url(tenants, exchange, "/status"), data={"status": "todo"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="exchange-status"')
    assert 'aria-pressed="true">To do</button>' in html
    assert json.loads(response.headers["HX-Trigger"])["exchange-saved"]["id"] == exchange.id
    assert only_exchange(app, tenants.a.id).status == "todo"
    bad = htmx.post(card_url(tenants, exchange, "/status"), data={"status": "lost"})
    assert bad.status_code == 422 and "Choose a status from the list." in bad.get_data(
        as_text=True)
    auth.login(tenants.a.admin_email)
    plain = client.post(card_url(tenants, exchange, "/status"), data={"status": "closed"})
    assert plain.status_code == 303 and only_exchange(app, tenants.a.id).status == "closed"


def test_delete_asks_first_then_deletes(app, client, auth, tenants, exchange):
    auth.login(tenants.a.admin_email)
    page = client.get(card_url(tenants, exchange, "/delete")).get_data(as_text=True)
    assert "Delete this exchange?" in page and "its link to 1 contact" in page
    assert "Its follow-up task and event are kept." in page
    assert counts(app, tenants.a.id)["Exchange"] == 1
    response = client.post(card_url(tenants, exchange, "/delete"))
    assert response.status_code == 303
    assert counts(app, tenants.a.id) | {"Tiers": 0, "Contact": 0} == \
        {"Exchange": 0, "Task": 1, "Event": 1, "Tiers": 0, "Contact": 0}
    assert client.get(card_url(tenants, exchange)).status_code == 404


def test_delete_needs_the_right(app, client, auth, tenants, exchange):
    auth.login(tenants.a.member_email)  # the member preset cannot delete
    assert client.get(card_url(tenants, exchange, "/delete")).status_code == 403
    assert client.post(card_url(tenants, exchange, "/delete")).status_code == 403
    assert "/delete" not in client.get(card_url(tenants, exchange)).get_data(as_text=True)
    assert counts(app, tenants.a.id)["Exchange"] == 1


@pytest.mark.parametrize("rights", [RESTRICTED, [READ_OWN_EXCHANGES, WRITE_EXCHANGES,
                                                 DELETE_EXCHANGES], []])
def test_a_member_who_reads_only_their_own_gets_404_everywhere(app, client, auth, tenants,
                                                              exchange, rights):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, rights)
    auth.login(tenants.a.member_email)
    for suffix in ("", "/edit", "/delete"):
        assert client.get(card_url(tenants, exchange, suffix)).status_code == 404, suffix
    for suffix in ("/edit", "/delete", "/status"):
        assert client.post(card_url(tenants, exchange, suffix),
                           data={"status": "todo"}).status_code == 404, suffix
    assert counts(app, tenants.a.id)["Exchange"] == 1
    assert only_exchange(app, tenants.a.id).status == "closed"


def test_a_read_own_member_sees_what_they_collaborate_on(app, client, auth, tenants, records):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, RESTRICTED)
    auth.login(tenants.a.admin_email)
    client.post(f"/t/{tenants.a.slug}/exchanges/new", data=exchange_data(
        records.a, collaborator_ids=str(tenants.a.member_membership_id)))
    auth.logout()
    exchange = only_exchange(app, tenants.a.id)
    auth.login(tenants.a.member_email)
    assert client.get(card_url(tenants, exchange)).status_code == 200


def test_another_tenants_exchange_is_404(client, auth, tenants, exchange):
    auth.login(tenants.b.admin_email)
    other = f"/t/{tenants.b.slug}/exchanges/{exchange.id}"
    for suffix in ("", "/edit", "/delete"):
        assert client.get(other + suffix).status_code == 404
    assert client.post(other + "/status", data={"status": "todo"}).status_code == 404
    assert client.post(other + "/delete").status_code == 404
