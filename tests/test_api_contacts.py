"""REST API v1, contacts and the read-only lists: the contacts page's filters as cursor
pages, the page form's field errors as problem+json, Idempotency-Key, If-Match, the
trash (restorable), the members' rights, another company's ids, the OpenAPI document."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, RIGHTS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Membership, TrashItem
from ct.models.choices import KIND_MODE, Choice
from ct.records.trash import restore
from tests.admin_support import set_rights
from tests.api_support import bearer, issue_token, refusals_without

API = "/api/v1/contacts/"
TIERS = "/api/v1/tiers/"
PROBLEM = "application/problem+json"


def _count(app, tenant_id, *where) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(Contact.id)).where(*where))


def _post(client, token, url, **fields):
    response = client.post(url, json=fields, headers=bearer(token))
    assert response.status_code == 201, response.json
    return response.json


def _names(client, token, **query) -> list[str]:
    response = client.get(API, query_string=query, headers=bearer(token))
    assert response.status_code == 200, response.json
    return [c["full_name"] for c in response.json["items"]]


def test_filters_and_cursor_pages_without_duplicates(client, tenants, token):
    dupont = _post(client, token, TIERS, name="Dupont")["id"]
    other = _post(client, token, TIERS, name="Martin SA")["id"]
    for n in range(7):
        _post(client, token, API, last_name=f"Durand {n:02}", tiers_id=dupont)
    _post(client, token, API, first_name="Léa", last_name="Zola", job_title="Acheteuse",
          email="lea@zola.fr", tiers_id=other)
    seen, cursor = [], None
    while True:
        query = {"tiers": dupont, "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(API, query_string=query, headers=bearer(token)).json
        assert len(page["items"]) <= 3
        seen += [c["last_name"] for c in page["items"]]
        # A contact added meanwhile (before the cursor) never makes a row come twice.
        _post(client, token, API, last_name="Aaron", tiers_id=dupont)
        if (cursor := page["next"]) is None:
            break
    assert seen == [f"Durand {n:02}" for n in range(7)]  # by name, each once
    assert _names(client, token, q="zo") == ["Léa Zola"]  # start of the name
    assert _names(client, token, q="acheteuse") == ["Léa Zola"]  # anywhere: the job
    assert _names(client, token, q="lea@zola") == ["Léa Zola"]
    assert _names(client, token, dir="desc", limit=1) == ["Léa Zola"]
    assert _names(client, token, tiers=other) == ["Léa Zola"]
    broken = client.get(API, query_string={"cursor": "bm90LWEtY3Vyc29y"}, headers=bearer(token))
    assert broken.status_code == 422 and "cursor" in broken.json["errors"]
    bad = client.get(API, query_string={"limit": 101, "dir": "up", "tiers": "x"},
                     headers=bearer(token))
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    assert set(bad.json["errors"]) == {"limit", "dir", "tiers"}


def test_an_id_filter_past_the_database_integers_is_422_not_500(client, token):
    # PostgreSQL's integer columns refuse 2**31 in a comparison: a 500 before.
    for value in (2**31, 29866505993363692):
        bad = client.get(API, query_string={"tiers": value}, headers=bearer(token))
        assert bad.status_code == 422 and bad.mimetype == PROBLEM
        assert set(bad.json["errors"]) == {"tiers"}


def test_field_errors_come_from_the_pages_form(app, client, tenants, token):
    theirs = issue_token(app, tenants.b.id, tenants.b.admin_membership_id)
    b_tiers = _post(client, theirs, TIERS, name="Chez B")["id"]
    response = client.post(API, json={"job_title": "Sans nom", "email": "pas-un-email",
                                      "tiers_id": b_tiers}, headers=bearer(token))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    errors = response.json["errors"]
    assert errors["first_name"] == ["Enter a first name or a last name."]
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["tiers_id"] == ["Choose an existing third party."]  # B's: not found
    unknown = client.post(API, json={"last_name": "X", "tenant_id": tenants.b.id},
                          headers=bearer(token))
    assert unknown.status_code == 422 and "tenant_id" in unknown.json["errors"]
    typed = client.post(API, json={"last_name": "X", "tiers_id": "12"}, headers=bearer(token))
    assert typed.status_code == 422 and "tiers_id" in typed.json["errors"]
    assert _count(app, tenants.a.id) == 0


def test_a_retried_create_with_the_same_key_makes_one_contact(app, client, tenants, token):
    headers = bearer(token, **{"Idempotency-Key": "crm-contact-7"})
    first = client.post(API, json={"last_name": "Une fois"}, headers=headers)
    again = client.post(API, json={"last_name": "Une fois"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == f"{API}{first.json['id']}"
    assert _count(app, tenants.a.id, Contact.last_name == "Une fois") == 1
    reused = client.post(API, json={"last_name": "Autre"}, headers=headers)
    assert reused.status_code == 422 and reused.mimetype == PROBLEM


def test_a_patch_changes_the_fields_sent_and_a_stale_one_is_412(client, tenants, token):
    made = _post(client, token, API, first_name="Jean", last_name="Version 1",
                 email="jean@v1.fr")
    url = f"{API}{made['id']}"
    tag = client.get(url, headers=bearer(token)).headers["ETag"]
    ok = client.patch(url, json={"job_title": "Gérant", "email": None},
                      headers=bearer(token, **{"If-Match": tag}))
    assert ok.status_code == 200 and ok.json["job_title"] == "Gérant"
    assert ok.json["email"] is None and ok.json["first_name"] == "Jean"
    assert ok.headers["ETag"] != tag
    stale = client.patch(url, json={"last_name": "Écrase"},
                         headers=bearer(token, **{"If-Match": tag}))
    assert stale.status_code == 412 and stale.mimetype == PROBLEM
    assert client.get(url, headers=bearer(token)).json["last_name"] == "Version 1"
    assert client.delete(url, headers=bearer(token, **{"If-Match": tag})).status_code == 412
    nameless = client.patch(url, json={"first_name": None, "last_name": ""},
                            headers=bearer(token))
    assert nameless.status_code == 422 and "first_name" in nameless.json["errors"]


def test_delete_moves_to_the_trash_and_it_comes_back(app, client, tenants, token):
    made = _post(client, token, API, last_name="À jeter")
    assert client.delete(f"{API}{made['id']}", headers=bearer(token)).status_code == 204
    assert client.get(f"{API}{made['id']}", headers=bearer(token)).status_code == 404
    with app.app_context(), bound_tenant(tenants.a.id):
        item = db.session.scalar(select(TrashItem).where(TrashItem.record_id == made["id"]))
        assert item.kind == "contact"
        restore(item)
        db.session.commit()
    assert client.get(f"{API}{made['id']}", headers=bearer(token)).json["last_name"] == "À jeter"


def test_another_companys_contact_is_404(app, client, tenants, token):
    theirs = issue_token(app, tenants.b.id, tenants.b.admin_membership_id)
    b_contact = _post(client, theirs, API, last_name="Secret")["id"]
    b_tiers = _post(client, theirs, TIERS, name="Chez B")["id"]
    url = f"{API}{b_contact}"
    assert client.get(url, headers=bearer(token)).status_code == 404
    assert client.patch(url, json={"last_name": "x"}, headers=bearer(token)).status_code == 404
    assert client.delete(url, headers=bearer(token)).status_code == 404
    assert client.get(API, query_string={"tiers": b_tiers}, headers=bearer(token)).status_code \
        == 404  # as the contacts page's ?tiers=
    assert client.get(API, headers=bearer(token)).json["items"] == []
    assert client.get(url, headers=bearer(theirs)).json["last_name"] == "Secret"


@pytest.mark.parametrize("right", [MANAGE_RECORDS, DELETE_TIERS])
def test_a_member_without_the_right_is_refused_by_every_route_needing_it(
        app, client, tenants, token, right):
    made = _post(client, token, API, last_name="Gardé")
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, set(RIGHTS) - {right})
    member = issue_token(app, tenants.a.id, tenants.a.member_membership_id)
    bodies = {"POST": {"last_name": "Refusé"}, "PATCH": {"job_title": "Chef"}}
    urls = {"api_contacts.list_contacts": API, "api_contacts.create_contact": API,
            "api_lists.modes": "/api/v1/lists/modes",
            "api_lists.objects": "/api/v1/lists/objects",
            "api_members.list_members": "/api/v1/members/"}
    assert not refusals_without(client, member, right,
                                ("api_contacts.", "api_lists.", "api_members."), urls,
                                f"{API}{made['id']}", bodies)
    assert _count(app, tenants.a.id, Contact.last_name == "Refusé") == \
        (1 if right == DELETE_TIERS else 0)
    assert _count(app, tenants.a.id, Contact.job_title == "Chef") == \
        (1 if right == DELETE_TIERS else 0)


def test_the_lists_give_the_active_entries_in_both_languages(app, client, tenants, token):
    with app.app_context(), bound_tenant(tenants.a.id):
        visit = db.session.scalar(select(Choice).where(Choice.kind == KIND_MODE,
                                                       Choice.code == "visit"))
        visit.active = False
        db.session.add(Choice(kind=KIND_MODE, label="Salon", position=9))
        db.session.commit()
    modes = client.get("/api/v1/lists/modes", headers=bearer(token)).json["items"]
    assert modes[0] == {"id": modes[0]["id"], "code": "phone", "label": "Téléphone",
                        "label_en": "Phone"}
    assert "visit" not in [m["code"] for m in modes]  # retired: not offered
    assert modes[-1]["label"] == "Salon" and modes[-1]["label_en"] is None
    objects = client.get("/api/v1/lists/objects", headers=bearer(token)).json["items"]
    assert [o["code"] for o in objects][:2] == ["prospecting", "quote"]
    assert objects[1]["label_en"] == "Quote"
    theirs = issue_token(app, tenants.b.id, tenants.b.admin_membership_id)
    b_modes = client.get("/api/v1/lists/modes", headers=bearer(theirs)).json["items"]
    assert "Salon" not in [m["label"] for m in b_modes]
    assert not {m["id"] for m in modes} & {m["id"] for m in b_modes}


def test_the_members_as_the_members_page_shows_them(app, client, tenants):
    member = issue_token(app, tenants.a.id, tenants.a.member_membership_id)
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, [])  # any member reads
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.scalar(select(Membership).where(
            Membership.id == tenants.a.admin_membership_id)).active = False
        db.session.commit()
    items = client.get("/api/v1/members/", headers=bearer(member)).json["items"]
    assert items == [
        {"id": tenants.a.member_membership_id, "name": "Member Alpha Conseil",
         "email": "arthur@alpha.fr", "role": "member", "active": True},
        {"id": tenants.a.admin_membership_id, "name": "Admin Alpha Conseil",
         "email": "alice@alpha.fr", "role": "admin", "active": False},  # left: last
    ]


def test_the_openapi_document_is_valid_and_lists_the_new_paths(client):
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    assert {"/api/v1/contacts/", "/api/v1/contacts/{contact_id}", "/api/v1/lists/modes",
            "/api/v1/lists/objects", "/api/v1/members/"} <= set(spec["paths"])
    patch = spec["paths"]["/api/v1/contacts/{contact_id}"]["patch"]["responses"]
    assert {"403", "404", "412"} <= set(patch)
    assert "application/problem+json" in patch["412"]["content"]
    page = client.get("/api/v1/")
    assert page.status_code == 200 and b"/api/v1/lists/objects" in page.data
