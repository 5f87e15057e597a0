"""Mass actions of the exchanges list: delete with confirmation, set status; rights;
ids of other members or other tenants ignored."""

import pytest
from sqlalchemy import select

from ct.core.permissions import DELETE_EXCHANGES, PRESETS, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ExchangeContact
from tests.admin_support import set_rights
from tests.exchange_data import (
    RESTRICTED_EMAIL,
    add,
    count_exchanges,
    in_english,
    statuses,
    world,  # noqa: F401 — fixture
)


def bulk_url(w):
    return f"/t/{w.slug}/exchanges/bulk"


@pytest.fixture
def four(world):  # noqa: F811
    """Three exchanges of company A (one is the restricted member's) and B's one."""
    w = world
    w.ids = [
        add(w, w.tiers["dupont"], w.admin_id, contacts=[w.contacts["jeanne"]], comment="EX1"),
        add(w, w.tiers["martin"], w.member_id, minutes=1, comment="EX2"),
        add(w, w.tiers["dupont"], w.restricted_id, minutes=2, comment="EX3"),
    ]
    return w


def test_set_status_touches_only_visible_ids_of_this_tenant(client, auth, four):
    w = four
    auth.login("alice@alpha.fr")
    in_english(client)
    response = client.post(bulk_url(w), data={
        "action": "status", "status": "todo", "back": "status=closed&q=appel",
        "ids": [w.ids[0], w.ids[1], w.b["exchange"], 999999, "abc", -3]})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{w.slug}/exchanges/?status=closed&q=appel"
    assert statuses(w, w.ids) == {w.ids[0]: "todo", w.ids[1]: "todo", w.ids[2]: "closed"}
    assert statuses(w, [w.b["exchange"]], tenant_id=w.b_tenant_id) == {w.b["exchange"]: "closed"}
    assert "2 exchanges set to “To do”." in client.get(response.headers["Location"]).get_data(
        as_text=True)


def test_delete_asks_first_then_deletes_only_what_it_may(client, auth, four):
    w = four
    auth.login("alice@alpha.fr")
    in_english(client)
    ids = [w.ids[0], w.ids[1], w.b["exchange"], 424242]
    confirm = client.post(bulk_url(w), data={"action": "delete", "ids": ids})
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "<h1>Delete 2 exchanges?</h1>" in html  # the foreign ids are not counted
    assert "B Dupont" not in html and 'name="confirmed" value="yes"' in html
    assert count_exchanges(w) == 3  # nothing deleted before the confirmation
    done = client.post(bulk_url(w), data={"action": "delete", "confirmed": "yes", "ids": ids})
    assert done.status_code == 303
    assert count_exchanges(w) == 1
    with w.app.app_context(), bound_tenant(w.tenant_id):
        assert db.session.scalars(select(ExchangeContact)).all() == []  # links went too
    assert count_exchanges(w, tenant_id=w.b_tenant_id) == 1
    assert "2 exchanges moved to the trash for 30 days." in client.get(
        done.headers["Location"]).get_data(as_text=True)


def test_delete_without_the_right_is_refused_at_each_step(client, auth, four):
    w = four
    auth.login("arthur@alpha.fr")  # the member preset may write but not delete
    for data in ({"action": "delete", "ids": w.ids},
                 {"action": "delete", "confirmed": "yes", "ids": w.ids}):
        assert client.post(bulk_url(w), data=data).status_code == 403
    assert count_exchanges(w) == 3
    page = client.get(f"/t/{w.slug}/exchanges/").get_data(as_text=True)
    assert 'value="status"' in page and 'value="delete"' not in page


def test_set_status_without_the_write_right_is_refused(client, auth, four):
    w = four
    set_rights(w.app, w.tenant_id, w.member_id,
               [r for r in PRESETS["member"] if r != WRITE_EXCHANGES])
    auth.login("arthur@alpha.fr")
    response = client.post(bulk_url(w), data={"action": "status", "status": "todo",
                                              "ids": w.ids})
    assert response.status_code == 403
    assert set(statuses(w, w.ids).values()) == {"closed"}
    page = client.get(f"/t/{w.slug}/exchanges/").get_data(as_text=True)
    assert 'name="ids"' not in page and "data-select-all" not in page


def test_read_own_member_cannot_reach_other_exchanges(client, auth, four):
    w = four
    set_rights(w.app, w.tenant_id, w.restricted_id, [*PRESETS["restricted"], DELETE_EXCHANGES])
    auth.login(RESTRICTED_EMAIL)
    client.post(bulk_url(w), data={"action": "status", "status": "todo", "ids": w.ids})
    assert statuses(w, w.ids) == {w.ids[0]: "closed", w.ids[1]: "closed", w.ids[2]: "todo"}
    client.post(bulk_url(w), data={"action": "delete", "confirmed": "yes", "ids": w.ids})
    assert count_exchanges(w) == 2 and w.ids[2] not in statuses(w, w.ids)


@pytest.mark.parametrize("data, message", [
    ({"action": "status", "status": "todo"}, "Select at least one exchange first."),
    ({"action": "delete", "ids": ["{b}"]}, "Select at least one exchange first."),
    ({"action": "status", "status": "lost", "ids": ["{one}"]}, "Choose a status from the list."),
    ({"action": "status", "status": "todo", "ids": ["{one}"] * 501},
     "Select at most 500 exchanges at once."),
])
def test_bad_selections_change_nothing(client, auth, four, data, message):
    w = four
    data = {k: [i.format(b=w.b["exchange"], one=w.ids[0]) for i in v] if k == "ids" else v
            for k, v in data.items()}
    auth.login("alice@alpha.fr")
    in_english(client)
    response = client.post(bulk_url(w), data={**data, "confirmed": "yes"})
    assert response.status_code == 303
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count_exchanges(w) == 3 and set(statuses(w, w.ids).values()) == {"closed"}
    assert count_exchanges(w, tenant_id=w.b_tenant_id) == 1


def test_unknown_action_foreign_back_url_and_other_tenant(client, auth, four):
    w = four
    auth.login("alice@alpha.fr")
    assert client.post(bulk_url(w), data={"action": "drop", "ids": w.ids}).status_code == 400
    response = client.post(bulk_url(w), data={
        "action": "status", "status": "todo", "ids": w.ids[:1],
        "back": "next=https://evil.test/&cursor=x&tiers=3"})
    assert response.headers["Location"] == f"/t/{w.slug}/exchanges/?tiers=3"
    foreign = client.post(f"/t/{w.b_slug}/exchanges/bulk", data={
        "action": "delete", "confirmed": "yes", "ids": [w.b["exchange"]]})
    assert foreign.status_code == 404
    assert count_exchanges(w, tenant_id=w.b_tenant_id) == 1


def test_forged_request_without_csrf_token_is_refused(app, client, auth, four, monkeypatch):
    w = four
    auth.login("alice@alpha.fr")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(bulk_url(w), data={"action": "delete", "confirmed": "yes",
                                              "ids": w.ids})
    assert response.status_code == 400
    assert count_exchanges(w) == 3


def test_the_list_asks_on_a_page_not_with_a_script(client, auth, four):
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{four.slug}/exchanges/").get_data(as_text=True)
    assert 'action="/t/alpha-conseil/exchanges/bulk"' in html and 'method="post"' in html
    assert "hx-confirm" not in html and "confirm(" not in html
