"""Rights, route by route: a member without the right gets 403 and nothing changes.

GOVERNED maps every right of ct.permissions.RIGHTS to the routes it governs. When an area
adds a route that checks a right, add a row here; ADMIN_ONLY lists the routes of the
administrator role; OPEN the routes every member may use. A route of these areas missing
from all three tables fails ``test_every_route_is_in_a_table``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from ct import accounts
from ct.blueprints.settings import options
from ct.extensions import db
from ct.models import Membership, Tenant
from ct.permissions import (
    DELETE_EXCHANGES,
    DELETE_TIERS,
    EXPORT,
    MANAGE_RECORDS,
    MANAGE_SETTINGS,
    MANAGE_TEMPLATES,
    READ_ALL_EXCHANGES,
    READ_OWN_EXCHANGES,
    RIGHTS,
    ROLE_MEMBER,
    WRITE_EXCHANGES,
)
from ct.tenancy import bound_tenant
from tests.admin_support import choice_id, log_in, make_product, set_rights, snapshot
from tests.auth_support import PASSWORD


@dataclass(frozen=True)
class Route:
    """A request; ``{name}`` in the path or the form is replaced by the id of that name."""

    method: str
    path: str
    data: dict = field(default_factory=dict, hash=False)

    def send(self, client, slug: str, ids: dict):
        path = f"/t/{slug}" + self.path.format(**ids)
        data = {k.format(**ids): v.format(**ids) for k, v in self.data.items()}
        return client.open(path, method=self.method, data=data)

    def __str__(self):
        return f"{self.method} {self.path}"


SETTINGS = {"button_mode": "floating", "shorten_length": "90",
            "large_contacts_threshold": "100", "widget_days": "2"}

GOVERNED: dict[str, list[Route]] = {
    READ_OWN_EXCHANGES: [],  # exchanges: rows come with their routes
    READ_ALL_EXCHANGES: [],
    WRITE_EXCHANGES: [],
    DELETE_EXCHANGES: [],
    MANAGE_RECORDS: [],
    DELETE_TIERS: [],
    EXPORT: [],
    MANAGE_SETTINGS: [
        Route("GET", "/settings/"),
        Route("POST", "/settings/", SETTINGS),
        Route("GET", "/settings/products?q=pomp"),
        Route("POST", "/settings/products/add", {"product_id": "{product}"}),
        Route("POST", "/settings/products/remove", {"product_id": "{chosen}"}),
        Route("POST", "/settings/lists/mode/add", {"mode-new-label": "Fax"}),
        Route("POST", "/settings/lists/mode/{entry}/rename", {"entry-{entry}-label": "Appel"}),
        Route("POST", "/settings/lists/mode/{entry}/move", {"direction": "down"}),
        Route("POST", "/settings/lists/mode/{entry}/active", {"active": "0"}),
        Route("POST", "/settings/lists/object/import", {"object-import-lines": "Audit\nSAV"}),
    ],
    MANAGE_TEMPLATES: [],  # email templates: rows come with their routes
}

ADMIN_ONLY = [
    Route("POST", "/members/invite", {"email": "nina@example.org", "role": "member"}),
    Route("POST", "/members/invitations/{invitation}/resend"),
    Route("POST", "/members/invitations/{invitation}/cancel"),
    Route("POST", "/members/{admin}/role", {"role": "member"}),
    Route("POST", "/members/{other}/role", {"role": "admin"}),
    Route("POST", "/members/{admin}/deactivate"),
    Route("POST", "/members/{other}/reactivate"),
    Route("GET", "/members/{other}/permissions"),
    Route("POST", "/members/{other}/permissions", {"preset": "admin"}),
    Route("POST", "/groups/", {"name": "Direction"}),
    Route("POST", "/groups/{group}/rename", {"name": "Direction"}),
    Route("POST", "/groups/{group}/members", {"membership_id": "{other}"}),
    Route("POST", "/groups/{group}/members/{member}/remove"),
    Route("GET", "/groups/{group}/delete"),
    Route("POST", "/groups/{group}/delete"),
]

OPEN = [
    Route("GET", "/members/"),
    Route("GET", "/members/{admin}"),
    Route("GET", "/groups/"),
    Route("GET", "/groups/{group}"),
]
AREAS = ("settings.", "members.", "groups.")


@pytest.fixture
def ids(app, tenants) -> dict:
    """Ids of company A's rows the routes act on (another member, an invitation…)."""
    chosen = make_product(app, tenants.a.id, "P-1", "Pompe")
    with app.app_context(), bound_tenant(tenants.a.id):
        admin = Membership.by_email(tenants.a.admin_email)
        tenant = db.session.scalar(select(Tenant).where(Tenant.id == tenants.a.id))
        other = Membership.create(
            accounts.create_user("olga@alpha.fr", "Olga", PASSWORD, "fr"), ROLE_MEMBER)
        other.active = False
        invitation = accounts.invite("zoe@example.org", ROLE_MEMBER, admin, tenant)
        options.set_products([chosen], admin)
        db.session.commit()
        found = {"admin": admin.id, "other": other.id, "invitation": invitation.id}
    return found | {
        "member": tenants.a.member_membership_id,
        "group": tenants.a.group_id,
        "entry": choice_id(app, tenants.a.id, "mode", "Téléphone"),
        "product": make_product(app, tenants.a.id, "P-2", "Pompe doseuse"),
        "chosen": chosen,
    }


def test_every_right_is_in_the_table():
    assert set(GOVERNED) == set(RIGHTS)


def test_every_route_is_in_a_table(app):
    """A new route of these areas must say who may use it."""
    listed = [(r.method, re.sub(r"\{[^}]+\}", "1", r.path.split("?")[0]))
              for r in [*(r for rs in GOVERNED.values() for r in rs), *ADMIN_ONLY, *OPEN]]
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(AREAS):
            continue
        # /settings/lists/<kind>/add matches /settings/lists/mode/add
        segments = rule.rule.removeprefix("/t/<slug>").split("/")
        pattern = re.compile("/".join("[^/]+" if s.startswith("<") else re.escape(s)
                                      for s in segments) + "$")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert any(m == method and pattern.match(path) for m, path in listed), \
                f"{method} {rule.rule} is in no table"


GOVERNED_CASES = [(right, route) for right, routes in GOVERNED.items() for route in routes]


@pytest.mark.parametrize("right, route", GOVERNED_CASES, ids=[f"{r}:{x}" for r, x in
                                                             GOVERNED_CASES])
def test_a_member_without_the_right_gets_403_and_nothing_changes(app, client, tenants, ids,
                                                                 right, route):
    member_id = tenants.a.member_membership_id
    set_rights(app, tenants.a.id, member_id, [r for r in RIGHTS if r != right])
    log_in(client, tenants.a.member_email)
    before = snapshot(app)
    assert route.send(client, tenants.a.slug, ids).status_code == 403
    assert snapshot(app) == before
    # The same member with the right passes the check (the route itself may refuse the data).
    set_rights(app, tenants.a.id, member_id, list(RIGHTS))
    assert route.send(client, tenants.a.slug, ids).status_code not in (403, 404, 500)


@pytest.mark.parametrize("route", ADMIN_ONLY, ids=str)
def test_a_member_holding_every_right_is_still_not_an_admin(app, client, tenants, ids, route):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, list(RIGHTS))
    log_in(client, tenants.a.member_email)
    before = snapshot(app)
    assert route.send(client, tenants.a.slug, ids).status_code == 403
    assert snapshot(app) == before
    admin = log_in(app.test_client(), tenants.a.admin_email)
    assert route.send(admin, tenants.a.slug, ids).status_code not in (403, 404, 500)


@pytest.mark.parametrize("route", OPEN, ids=str)
def test_open_routes_serve_every_member(app, client, tenants, ids, route):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, [])
    log_in(client, tenants.a.member_email)
    assert route.send(client, tenants.a.slug, ids).status_code == 200
