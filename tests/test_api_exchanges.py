"""REST API v1, exchanges: the All exchanges page's filters and visibility as cursor
pages, the card's rule for the confidential comment, the pop-up's form and saving code
for writes (its field errors, the collaborators' email), Idempotency-Key, If-Match, the
trash (restorable), the members' rights."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ct.core.permissions import (
    DELETE_EXCHANGES,
    READ_ALL_EXCHANGES,
    READ_OWN_EXCHANGES,
    WRITE_EXCHANGES,
)
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange, OutboxEmail, TrashItem
from ct.records.trash import restore
from tests.admin_support import set_rights
from tests.api_support import bearer, count_rows, issue_token, refusals_without
from tests.exchange_data import BASE, add, world  # noqa: F401 — the fixture

API = "/api/v1/exchanges/"
PROBLEM = "application/problem+json"
WHEN = "2026-03-10T10:30:00+01:00"  # 09:30 UTC


def _comments(client, token, **query) -> list[str]:
    response = client.get(API, query_string=query, headers=bearer(token))
    assert response.status_code == 200, response.json
    return [e["comment"] for e in response.json["items"]]


def _post(client, token, headers=None, **fields):
    return client.post(API, json=fields, headers=bearer(token, **(headers or {})))


def test_filters_and_cursor_pages_without_duplicates(client, world, token):  # noqa: F811
    w = world
    for n in range(7):  # the same minute: the id breaks the ties
        add(w, w.tiers["dupont"], w.admin_id, comment=f"same {n}", minutes=5)
    add(w, w.tiers["martin"], w.member_id, comment="Martin appel", minutes=60,
        contacts=[w.contacts["luc"]], status="todo", mode_id=w.modes["phone"])
    add(w, w.tiers["dupont"], w.admin_id, comment="old one", minutes=-3 * 24 * 60)
    seen, cursor = [], None
    while True:
        query = {"limit": 3, "tiers": w.tiers["dupont"], **({"cursor": cursor} if cursor else {})}
        page = client.get(API, query_string=query, headers=bearer(token)).json
        assert len(page["items"]) <= 3
        seen += [e["comment"] for e in page["items"]]
        if (cursor := page["next"]) is None:
            break
    assert seen == [f"same {n}" for n in reversed(range(7))] + ["old one"]  # newest first
    assert _comments(client, token, contact=w.contacts["luc"]) == ["Martin appel"]
    assert _comments(client, token, status="todo") == ["Martin appel"]
    assert _comments(client, token, mode=w.modes["phone"]) == ["Martin appel"]
    assert _comments(client, token, member=w.member_id) == ["Martin appel"]
    assert _comments(client, token, q="appel") == ["Martin appel"]
    assert _comments(client, token, date_to="2026-03-08") == ["old one"]
    assert len(_comments(client, token, date_from="2026-03-10", date_to="2026-03-10")) == 8
    item = client.get(API, query_string={"status": "todo"}, headers=bearer(token)).json["items"][0]
    assert item["occurred_at"] == "2026-03-10T11:00:00+01:00"  # the company's offset
    assert item["tiers"] == {"id": w.tiers["martin"], "name": "Martin & Fils"}
    assert item["contacts"] == [{"id": w.contacts["luc"], "full_name": "Luc Martin"}]
    assert (item["mode_id"], item["made_by_id"], item["author_id"]) == (
        w.modes["phone"], w.member_id, w.member_id)
    # The page's form says what is wrong, field by field.
    bad = client.get(API, query_string={"tiers": w.b["dupont"], "status": "lost",
                                        "date_from": "2026-03-10", "date_to": "2026-03-01"},
                     headers=bearer(token))
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    assert bad.json["errors"] == {
        "tiers": ["Choose an existing third party."],
        "status": ["Choose a status from the list."],
        "date_to": ["The end date must be on or after the start date."]}
    broken = client.get(API, query_string={"cursor": "bm90LWEtY3Vyc29y"}, headers=bearer(token))
    assert broken.status_code == 422 and "cursor" in broken.json["errors"]
    assert client.get(API, query_string={"limit": 101},
                      headers=bearer(token)).status_code == 422


def test_a_member_reading_only_their_own_sees_only_theirs(app, client, world):  # noqa: F811
    w = world
    mine = add(w, w.tiers["dupont"], w.restricted_id, comment="mine")
    made = add(w, w.tiers["dupont"], w.admin_id, made_by_id=w.restricted_id, comment="made")
    helped = add(w, w.tiers["dupont"], w.admin_id, comment="helped",
                 collaborators=[w.restricted_id], minutes=1)
    other = add(w, w.tiers["dupont"], w.admin_id, comment="not mine", minutes=2)
    rita = issue_token(app, w.tenant_id, w.restricted_id)
    assert sorted(_comments(client, rita)) == ["helped", "made", "mine"]
    for exchange_id in (mine, made, helped):
        assert client.get(f"{API}{exchange_id}", headers=bearer(rita)).status_code == 200
    for method in ("GET", "PATCH", "DELETE"):
        answer = client.open(f"{API}{other}", method=method, json={"comment": "x"},
                             headers=bearer(rita))
        assert answer.status_code == 404 and "not mine" not in answer.text, method
    set_rights(app, w.tenant_id, w.restricted_id, [READ_ALL_EXCHANGES])
    assert "not mine" in _comments(client, rita)


def test_the_confidential_comment_only_for_its_author_and_group(app, client, world):  # noqa: F811
    w = world
    secret = add(w, w.tiers["dupont"], w.admin_id, comment="public part",
                 confidential_comment="TOP-SECRET", confidential_group_id=w.group_id,
                 collaborators=[w.restricted_id])
    readers = {"author": w.admin_id, "group": w.member_id}  # arthur is in the group
    for who, member_id in readers.items():
        token = issue_token(app, w.tenant_id, member_id)
        one = client.get(f"{API}{secret}", headers=bearer(token)).json
        assert one["confidential_comment"] == "TOP-SECRET", who
        listed = client.get(API, headers=bearer(token)).json["items"][0]
        assert listed["confidential_comment"] == "TOP-SECRET", who
    # Rita sees the exchange (a collaborator) but is outside the group.
    rita = issue_token(app, w.tenant_id, w.restricted_id)
    for url in (f"{API}{secret}", API):
        answer = client.get(url, headers=bearer(rita))
        assert answer.status_code == 200 and "public part" in answer.text
        assert "TOP-SECRET" not in answer.text, url
    assert client.get(f"{API}{secret}", headers=bearer(rita)).json[
        "confidential_comment"] is None
    # An administrator reads every exchange, not a confidential comment kept from them.
    private = add(w, w.tiers["martin"], w.member_id, confidential_comment="ARTHUR-ONLY")
    admin = issue_token(app, w.tenant_id, w.admin_id)
    for url in (f"{API}{private}", API):
        answer = client.get(url, headers=bearer(admin))
        assert answer.status_code == 200 and "ARTHUR-ONLY" not in answer.text, url
    # Her change keeps the comment she cannot read (the page drops those fields for her).
    set_rights(app, w.tenant_id, w.restricted_id, [READ_OWN_EXCHANGES, WRITE_EXCHANGES])
    changed = client.patch(f"{API}{secret}", json={"comment": "edited",
                                                   "confidential_comment": "overwritten"},
                           headers=bearer(rita))
    assert changed.status_code == 200 and "overwritten" not in changed.text
    with app.app_context(), bound_tenant(w.tenant_id):
        assert db.session.get(Exchange, secret).confidential_comment == "TOP-SECRET"


def test_create_with_the_pop_ups_checks_and_idempotency(app, client, world, token):  # noqa: F811
    w = world
    made = _post(client, token, {"Idempotency-Key": "k-1"}, tiers_id=w.tiers["dupont"],
                 occurred_at=WHEN, status="in_progress", comment="Rendez-vous",
                 contact_ids=[w.contacts["jeanne"], w.contacts["paul"]],
                 mode_id=w.modes["phone"])
    assert made.status_code == 201, made.json
    body = made.json
    assert made.headers["Location"].endswith(f"{API}{body['id']}")
    assert made.headers["ETag"]
    assert body["occurred_at"] == WHEN and body["status"] == "in_progress"
    assert [c["full_name"] for c in body["contacts"]] == ["Jeanne Dupont", "Paul Durand"]
    assert body["author_id"] == body["made_by_id"] == w.admin_id
    again = _post(client, token, {"Idempotency-Key": "k-1"}, tiers_id=w.tiers["dupont"],
                  occurred_at=WHEN, status="in_progress", comment="Rendez-vous",
                  contact_ids=[w.contacts["jeanne"], w.contacts["paul"]],
                  mode_id=w.modes["phone"])
    assert again.status_code == 201 and again.json["id"] == body["id"]
    assert count_rows(app, w.tenant_id, Exchange) == 1  # one made, not two
    # The pop-up's messages, each on its field.
    wrong = _post(client, token, tiers_id=w.tiers["dupont"], occurred_at=WHEN,
                  contact_ids=[w.contacts["luc"]], mode_id=w.b["mode"],
                  document_id=w.b["document"])
    assert wrong.status_code == 422 and wrong.mimetype == PROBLEM
    assert wrong.json["errors"] == {
        "contact_ids": ["Not a contact of this third party: Luc Martin."],
        "mode_id": ["Choose a contact mode from the list."],
        "document_id": ["Choose an existing document."]}
    empty = _post(client, token, comment="nothing else")
    assert empty.json["errors"] == {"tiers_id": ["Choose the third party of this exchange."],
                                    "occurred_at": ["Give the date and time."]}
    typed = _post(client, token, tiers_id="x", status="lost", occurred_at="tomorrow")
    assert typed.status_code == 422 and set(typed.json["errors"]) == {
        "tiers_id", "status", "occurred_at"}
    assert count_rows(app, w.tenant_id, Exchange) == 1


def test_notify_puts_the_collaborators_email_in_the_outbox(app, client, world, token):  # noqa: F811
    w = world
    made = _post(client, token, tiers_id=w.tiers["dupont"], occurred_at=WHEN,
                 comment="Salon", collaborator_ids=[w.member_id], notify_collaborators=True)
    assert made.status_code == 201, made.json
    assert made.json["collaborator_ids"] == [w.member_id]
    with app.app_context(), bound_tenant(w.tenant_id):
        sent = db.session.scalars(select(OutboxEmail.to_email)).all()
    assert sent == ["arthur@alpha.fr"]
    quiet = _post(client, token, tiers_id=w.tiers["dupont"], occurred_at=WHEN,
                  collaborator_ids=[w.member_id])
    assert quiet.status_code == 201
    assert count_rows(app, w.tenant_id, OutboxEmail) == 1


def test_update_with_if_match_and_delete_to_the_trash(app, client, world, token):  # noqa: F811
    w = world
    exchange_id = add(w, w.tiers["dupont"], w.admin_id, comment="first",
                      contacts=[w.contacts["jeanne"]])
    url = f"{API}{exchange_id}"
    read = client.get(url, headers=bearer(token))
    tag = read.headers["ETag"]
    changed = client.patch(url, json={"status": "todo"}, headers=bearer(token, **{
        "If-Match": tag}))
    assert changed.status_code == 200, changed.json
    assert changed.json["status"] == "todo" and changed.json["comment"] == "first"
    assert changed.json["contacts"] == [{"id": w.contacts["jeanne"],
                                         "full_name": "Jeanne Dupont"}]
    assert changed.json["occurred_at"] == read.json["occurred_at"]  # kept to the second
    assert changed.headers["ETag"] != tag
    stale = client.patch(url, json={"comment": "lost"}, headers=bearer(token, **{
        "If-Match": tag}))
    assert stale.status_code == 412 and stale.mimetype == PROBLEM
    wrong = client.patch(url, json={"contact_ids": [w.contacts["luc"]]}, headers=bearer(token))
    assert wrong.json["errors"] == {
        "contact_ids": ["Not a contact of this third party: Luc Martin."]}
    assert client.get(url, headers=bearer(token)).json["comment"] == "first"
    assert client.delete(url, headers=bearer(token, **{"If-Match": tag})).status_code == 412
    assert client.delete(url, headers=bearer(token)).status_code == 204
    assert client.get(url, headers=bearer(token)).status_code == 404
    with app.app_context(), bound_tenant(w.tenant_id):
        item = db.session.scalar(select(TrashItem).where(TrashItem.kind == "exchange"))
        restore(item)
        db.session.commit()
    back = client.get(url, headers=bearer(token))
    assert back.status_code == 200 and back.json["comment"] == "first"
    assert back.json["contacts"][0]["id"] == w.contacts["jeanne"]


@pytest.mark.parametrize("right", [WRITE_EXCHANGES, DELETE_EXCHANGES])
def test_a_member_without_the_right_is_refused_by_every_route_needing_it(
        app, client, world, right):  # noqa: F811
    w = world
    exchange_id = add(w, w.tiers["dupont"], w.admin_id, comment="kept")
    rights = {READ_ALL_EXCHANGES, WRITE_EXCHANGES, DELETE_EXCHANGES} - {right}
    set_rights(app, w.tenant_id, w.member_id, rights)
    member = issue_token(app, w.tenant_id, w.member_id)
    bodies = {"POST": {"tiers_id": w.tiers["dupont"], "occurred_at": WHEN},
              "PATCH": {"comment": "changed"}}
    assert refusals_without(client, member, right, "api_exchanges.",
                            {"api_exchanges.list_exchanges": API,
                             "api_exchanges.create_exchange": API},
                            f"{API}{exchange_id}", bodies) == []
