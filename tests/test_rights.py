"""Rights, route by route: a member without the right is refused and nothing changes.

Every route of a company (``/t/<slug>/…``) appears in one of these tables, which say who
may use it:

- GOVERNED: the routes a single right of ct.core.permissions.RIGHTS governs. Without it the
  member gets 403 (404 for an exchange the member may not see), and nothing is written.
- ANY_OF: the routes open to a member holding at least one of a few rights.
- ADMIN_ONLY: the routes of the administrator role, refused even to a member holding
  every right.
- OPEN: the routes every member may use, even one holding no right at all (their lists
  show only what the member may see: tests/test_rights_lists.py checks that).

``test_every_route_is_in_a_table`` walks the whole URL map: a route added later without a
row here fails it. The other rights modules (lists, buttons) reuse ``Route`` and ``ids``.
"""

from __future__ import annotations

import io
import string
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ct.attachments.files import attach, check
from ct.auth import accounts
from ct.blueprints.settings import options
from ct.core.permissions import (
    DELETE_EXCHANGES,
    DELETE_TIERS,
    EXPORT,
    MANAGE_RECORDS,
    MANAGE_SETTINGS,
    MANAGE_TEMPLATES,
    PLAN_RIGHTS,
    READ_ALL_EXCHANGES,
    READ_OWN_EXCHANGES,
    RIGHTS,
    ROLE_MEMBER,
    WRITE_EXCHANGES,
)
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ApiToken, Exchange, ImportRun, Membership, OutboxEmail, Tenant, Tiers
from ct.models.webhook import WebhookDelivery
from ct.records import trash
from ct.records.export import build_tenant_export, start_tenant_export
from ct.webhooks import manage
from tests.admin_support import choice_id, log_in, make_product, set_rights, snapshot
from tests.api_support import issue_token
from tests.auth_support import PASSWORD
from tests.capture_support import waiting_email
from tests.exchange_records import records  # noqa: F401 (a fixture of ids)
from tests.planning_data import make_event, make_task

TENANT_PREFIX = "/t/<slug:slug>/"  # as tenant_blueprint writes it (ct/web/current.py)


@dataclass(frozen=True)
class Route:
    """A request; ``{name}`` in the path or the form is replaced by the id of that name.

    ``refused`` is the answer to a member without the right: 403, or 404 where the route
    hides an exchange the member may not see (it does not even confirm that it exists).
    """

    method: str
    path: str
    data: dict = field(default_factory=dict, hash=False)
    refused: int = 403

    def url(self, slug: str, ids) -> str:
        return f"/t/{slug}" + self.path.format_map(ids)

    def send(self, client, slug: str, ids):
        data = {k.format_map(ids): v.format_map(ids) for k, v in self.data.items()}
        response = client.open(self.url(slug, ids), method=self.method, data=data)
        response.close()  # a file download (an export) keeps its file open until closed
        return response

    def __str__(self):
        return f"{self.method} {self.path}" + (f" {self.data.get('action')}"
                                               if "action" in self.data else "")


def get_and_post(path: str, data: dict | None = None, refused: int = 403) -> list[Route]:
    """The page of a form and its submission."""
    return [Route("GET", path, refused=refused), Route("POST", path, data or {}, refused)]


SETTINGS = {"button_mode": "floating", "shorten_length": "90",
            "large_contacts_threshold": "100", "widget_days": "2", "plan_next_days": "3"}
TEMPLATE = "/email-templates/invitation/fr"
TEMPLATE_FORM = {"subject": "Rejoignez {{ company }}", "body_text": "Bonjour {{ link }}",
                 "body_html": "<p>Bonjour {{ link }}</p>"}
IN_TWO_DAYS = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT10:00")
EVENT_FORM = {"title": "Réunion", "starts_at": IN_TWO_DAYS, "ends_at": IN_TWO_DAYS}
PLAN_FORM = {"plan-day": IN_TWO_DAYS[:10], "plan-what": "exchange",
             "plan-form_token": "rights-plan-token"}
EXCHANGE_FORM = {"form_token": "rights-token", "tiers_id": "{tiers}",
                 "occurred_at": "2026-03-10T14:30", "status": "closed", "comment": "Appel"}

# The admin's exchange ({exchange}): hidden from a member who may read only their own.
ADMIN_EXCHANGE = [
    Route("GET", "/exchanges/{exchange}", refused=404),
    *get_and_post("/exchanges/{exchange}/edit", EXCHANGE_FORM, refused=404),
    Route("POST", "/exchanges/{exchange}/status", {"status": "closed"}, refused=404),
    *get_and_post("/exchanges/{exchange}/plan-next", PLAN_FORM, refused=404),
    Route("GET", "/audit/history/exchange/{exchange}", refused=404),
    Route("GET", "/exchanges/{exchange}/attachments/{attachment}", refused=404),
    *get_and_post("/exchanges/{exchange}/delete", refused=404),
]
# The member's own exchange ({own}): any read right shows it, none hides it.
OWN_EXCHANGE = [
    Route("GET", "/exchanges/{own}", refused=404),
    *get_and_post("/exchanges/{own}/edit", EXCHANGE_FORM, refused=404),
    Route("POST", "/exchanges/{own}/status", {"status": "closed"}, refused=404),
    *get_and_post("/exchanges/{own}/plan-next", PLAN_FORM, refused=404),
    Route("GET", "/audit/history/exchange/{own}", refused=404),
    Route("GET", "/exchanges/{own}/attachments/{own_attachment}", refused=404),
    *get_and_post("/exchanges/{own}/delete", refused=404),
]

GOVERNED: dict[str, list[Route]] = {
    READ_OWN_EXCHANGES: [],  # together with READ_ALL_EXCHANGES: see ANY_OF
    READ_ALL_EXCHANGES: ADMIN_EXCHANGE,
    WRITE_EXCHANGES: [
        *get_and_post("/exchanges/new", EXCHANGE_FORM),
        *get_and_post("/exchanges/{exchange}/edit", EXCHANGE_FORM),
        Route("POST", "/exchanges/{exchange}/status", {"status": "closed"}),
        *get_and_post("/exchanges/{exchange}/plan-next", PLAN_FORM),
        Route("POST", "/exchanges/bulk", {"action": "status", "ids": "{exchange}",
                                          "status": "closed"}),
        Route("GET", "/exchanges/tiers-fields?tiers_id={tiers}"),
        Route("GET", "/exchanges/mention-suggestions?q=me"),
        *get_and_post("/exchanges/inline/tiers", {"name": "Nouveau client"}),
        *get_and_post("/exchanges/inline/contact?tiers_id={tiers}",
                      {"tiers_id": "{tiers}", "last_name": "Nouveau"}),
        Route("POST", "/exchanges/inline/undo"),
        Route("GET", "/capture/"),
        Route("POST", "/capture/new"),
        Route("GET", "/exchanges/to-classify/"),
        Route("GET", "/exchanges/to-classify/{inbound}"),
        Route("POST", "/exchanges/to-classify/{inbound}",
              {"email": "nora@prospect.fr", "tiers_id": "{tiers}", "action": "tiers"}),
        Route("POST", "/exchanges/to-classify/{dismissable}/dismiss"),
    ],
    DELETE_EXCHANGES: [
        *get_and_post("/exchanges/{exchange}/delete"),
        Route("POST", "/exchanges/bulk", {"action": "delete", "ids": "{exchange}"}),
        Route("POST", "/exchanges/bulk", {"action": "delete", "ids": "{exchange}",
                                          "confirmed": "yes"}),
    ],
    MANAGE_RECORDS: [
        *get_and_post("/tiers/new", {"name": "Nouveau client"}),
        *get_and_post("/tiers/{tiers}/edit", {"name": "Dupont Industrie SA"}),
        Route("POST", "/tiers/{tiers}/close"),
        Route("POST", "/tiers/{closed_tiers}/reopen"),
        Route("GET", "/contacts/new"),
        Route("POST", "/contacts/new", {"last_name": "Nouveau", "tiers_id": "{tiers}"}),
        Route("GET", "/contacts/{contact}/edit"),
        Route("POST", "/contacts/{contact}/edit", {"last_name": "Durand-Petit"}),
        Route("GET", "/contacts/tiers-options?q=Dup"),
        Route("GET", "/documents/new"),
        Route("POST", "/documents/new", {"reference": "DEV-900", "tiers_id": "{tiers}"}),
        Route("GET", "/documents/{document}/edit"),
        Route("POST", "/documents/{document}/edit", {"reference": "DEV-901"}),
        Route("GET", "/products/new"),
        Route("POST", "/products/new", {"reference": "P-900", "label": "Audit"}),
        Route("GET", "/products/{product}/edit"),
        Route("POST", "/products/{product}/edit", {"reference": "P-901", "label": "Audit"}),
        *get_and_post("/projects/new", {"reference": "PRJ-9", "title": "Salon"}),
        *get_and_post("/projects/{project}/edit", {"reference": "PRJ-1", "title": "Autre"}),
        Route("POST", "/projects/{project}/close"),
        Route("POST", "/projects/{closed_project}/reopen"),
        Route("GET", "/import/"),
        Route("POST", "/import/", {"kind": "tiers"}),
        Route("GET", "/import/{run}"),
        Route("POST", "/import/{run}/start"),
        Route("GET", "/import/{run}/report.csv"),
        *get_and_post("/exchanges/inline/tiers", {"name": "Nouveau client"}),
        *get_and_post("/exchanges/inline/contact?tiers_id={tiers}",
                      {"tiers_id": "{tiers}", "last_name": "Nouveau"}),
        Route("POST", "/exchanges/inline/undo"),
        # Creating the contact of a captured email (logging on a third party alone is
        # WRITE_EXCHANGES).
        Route("POST", "/exchanges/to-classify/{inbound}",
              {"email": "nora@prospect.fr", "tiers_id": "{tiers}", "action": "contact",
               "last_name": "Petit"}),
    ],
    DELETE_TIERS: [
        *get_and_post("/tiers/{other_tiers}/delete"),
        Route("GET", "/contacts/{contact}/delete"),
        Route("POST", "/contacts/{contact}/delete"),
        Route("GET", "/documents/{document}/delete"),
        Route("POST", "/documents/{document}/delete"),
        Route("GET", "/products/{product}/delete"),
        Route("POST", "/products/{product}/delete"),
        *get_and_post("/projects/{project}/delete"),
    ],
    EXPORT: [
        Route("GET", "/exchanges/export.csv"),
        Route("GET", "/exchanges/export.csv?tiers={tiers}&separator=semicolon"),
    ],
    MANAGE_SETTINGS: [
        Route("GET", "/settings/"),
        Route("POST", "/settings/", SETTINGS),
        Route("GET", "/settings/products?q=pomp"),
        Route("POST", "/settings/products/add", {"product_id": "{picked}"}),
        Route("POST", "/settings/products/remove", {"product_id": "{chosen}"}),
        Route("POST", "/settings/lists/mode/add", {"mode-new-label": "Fax"}),
        Route("POST", "/settings/lists/mode/{entry}/rename", {"entry-{entry}-label": "Appel"}),
        Route("POST", "/settings/lists/mode/{entry}/move", {"direction": "down"}),
        Route("POST", "/settings/lists/mode/{entry}/active", {"active": "0"}),
        Route("POST", "/settings/lists/object/import", {"object-import-lines": "Audit\nSAV"}),
    ],
    MANAGE_TEMPLATES: [
        Route("GET", "/email-templates/"),
        *get_and_post(TEMPLATE, TEMPLATE_FORM),
        *get_and_post(TEMPLATE + "/html", TEMPLATE_FORM),
        Route("POST", TEMPLATE + "/preview", TEMPLATE_FORM),
        *get_and_post(TEMPLATE + "/reset"),
    ],
}

ANY_OF: dict[tuple[str, ...], list[Route]] = {
    # Tasks and agenda events: writing exchanges or managing records (see PLAN_RIGHTS).
    PLAN_RIGHTS: [
        *get_and_post("/agenda/new", EVENT_FORM),
        *get_and_post("/agenda/{event}/edit", EVENT_FORM),
        *get_and_post("/agenda/{event}/delete"),
        *get_and_post("/projects/tasks/new", {"label": "Rappeler"}),
        Route("POST", "/projects/{project}/tasks", {"label": "Relancer"}),
        *get_and_post("/projects/tasks/{task}/edit", {"label": "Rappeler demain"}),
        Route("POST", "/projects/tasks/{task}/done", {"done": "1"}),
        Route("GET", "/projects/project-options?project_id_q=PRJ"),
        *get_and_post("/projects/tasks/{task}/delete"),
    ],
    (READ_OWN_EXCHANGES, READ_ALL_EXCHANGES): OWN_EXCHANGE,
}

# A private address is refused (422) unless the setting allows it: no name to resolve.
WEBHOOK_FORM = {"url": "http://127.0.0.1:9/hook", "events": "tiers.created"}

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
    Route("GET", "/email-log/"),
    Route("GET", "/email-log/{email}"),
    Route("GET", "/email-log/{email}/html"),
    Route("POST", "/email-log/{email}/retry"),
    Route("GET", "/audit/"),
    Route("GET", "/data/"),
    Route("POST", "/data/export"),
    Route("GET", "/data/exports/{export_run}"),
    Route("GET", "/data/exports/{export_run}/download"),
    Route("POST", "/data/close", {"company_name": "Alpha Conseil"}),
    Route("POST", "/data/close/cancel"),
    Route("GET", "/trash/"),
    *get_and_post("/trash/{trash_item}/purge"),
    # Last: restoring empties the trash item the purge rows above act on.
    Route("POST", "/trash/{trash_item}/restore"),
    Route("GET", "/webhooks/"),
    *get_and_post("/webhooks/new", WEBHOOK_FORM),
    Route("GET", "/webhooks/{webhook}"),
    *get_and_post("/webhooks/{webhook}/edit", WEBHOOK_FORM),
    Route("POST", "/webhooks/{webhook}/disable"),
    Route("POST", "/webhooks/{webhook}/enable"),
    Route("POST", "/webhooks/{webhook}/rotate"),
    Route("POST", "/webhooks/{webhook}/test"),
    Route("POST", "/webhooks/{webhook}/deliveries/{webhook_delivery}/again"),
    Route("POST", "/webhooks/{webhook}/delete"),
]

OPEN = [
    Route("GET", "/"),
    Route("GET", "/widgets/latest_exchanges"),
    Route("GET", "/checklist"),
    Route("GET", "/counters"),
    Route("GET", "/customize"),
    Route("POST", "/customize", {"shown": "team", "position_latest_exchanges": "1",
                                 "position_next_contacts": "2", "position_past_events": "3",
                                 "position_team": "4", "position_mentions": "5"}),
    Route("POST", "/checklist/dismiss"),
    Route("GET", "/tiers/{tiers}/history"),
    Route("GET", "/tiers/"),
    Route("GET", "/tiers/{tiers}"),
    *(Route("GET", f"/tiers/{{tiers}}/{tab}")
      for tab in ("contacts", "exchanges", "agenda", "documents", "projects")),
    Route("GET", "/tiers/{tiers}/tabs?tab=exchanges"),
    Route("GET", "/tiers/{tiers}/timeline"),
    Route("GET", "/contacts/"),
    Route("GET", "/contacts/{contact}"),
    Route("GET", "/contacts/{contact}/timeline"),
    Route("GET", "/documents/"),
    Route("GET", "/documents/{document}"),
    Route("GET", "/products/"),
    Route("GET", "/products/{product}"),
    Route("GET", "/projects/"),
    Route("GET", "/projects/{project}"),
    Route("GET", "/projects/tasks"),
    Route("GET", "/projects/tiers-options?q=Dup"),
    Route("GET", "/agenda/"),
    Route("GET", "/agenda/week"),
    Route("GET", "/agenda/month"),
    Route("GET", "/agenda/{event}"),
    Route("GET", "/agenda/tiers-options?q=Dup"),
    Route("GET", "/agenda/contact-options?tiers_id={tiers}"),
    Route("GET", "/agenda/feed/"),
    Route("POST", "/agenda/feed/new"),
    Route("POST", "/agenda/feed/revoke"),
    Route("POST", "/agenda/feed/digest", {"digest": "y"}),
    Route("GET", "/api-tokens/"),
    Route("POST", "/api-tokens/new", {"name": "Script"}),
    Route("POST", "/api-tokens/{api_token}/revoke"),  # the member's own token
    Route("GET", "/exchanges/"),
    *(Route("GET", f"/exchanges/history?{kind}={{{record}}}") for kind, record in
      (("tiers", "tiers"), ("contact", "contact"), ("document", "document"),
       ("project", "project"))),
    *(Route("GET", f"/search/{kind}?q=Du") for kind in
      ("tiers", "contacts", "documents", "projects")),
    Route("GET", "/search?q=Dupont"),
    Route("GET", "/search/everything?q=Dupont"),
    Route("GET", "/members/"),
    Route("GET", "/members/{admin}"),
    Route("GET", "/groups/"),
    Route("GET", "/groups/{group}"),
]


class Ids(dict):
    """The ids of the rows the routes act on; any unknown name is an error of the table."""

    def __missing__(self, key):
        raise KeyError(f"no row called {key!r} in the ids fixture")


@pytest.fixture
def ids(app, tenants, records) -> Ids:  # noqa: F811
    """Ids of company A's rows the routes act on: its records, an exchange of the admin
    and one of the member, another member, an invitation, a task, an event, an import,
    an email of the log…"""
    a = records.a
    chosen = make_product(app, tenants.a.id, "S-1", "Pompe")
    with app.app_context(), bound_tenant(tenants.a.id):
        admin = Membership.by_email(tenants.a.admin_email)
        tenant = db.session.scalar(select(Tenant).where(Tenant.id == tenants.a.id))
        other = Membership.create(
            accounts.create_user("olga@alpha.fr", "Olga", PASSWORD, "fr"), ROLE_MEMBER)
        other.active = False
        invitation = accounts.invite("zoe@example.org", ROLE_MEMBER, admin, tenant)
        options.set_products([chosen], admin)
        closed = Tiers(name="Ancien client", active=False)
        run = ImportRun(kind="tiers", filename="clients.csv", encoding="utf-8",
                        delimiter=";", status="ready",
                        report={"columns": [], "ignored": [], "problems": [], "preview": []})
        email = OutboxEmail(kind="invitation", to_email="zoe@example.org", subject="Bonjour",
                            body_text="Bonjour", body_html="<p>Bonjour</p>", status="failed")
        exchanges = [Exchange(tiers_id=a.tiers, author_id=author, made_by_id=author,
                              comment=comment)
                     for author, comment in ((a.admin, "Appel de l'admin"),
                                             (a.member, "Appel du membre"))]
        binned = Exchange(tiers_id=a.tiers, author_id=a.admin, made_by_id=a.admin,
                          comment="Appel supprimé")
        webhook = manage.register("https://hooks.example.com/ct", None, ["tiers.created"],
                                  created_by_id=admin.id)
        db.session.add_all([closed, run, email, binned, *exchanges])
        db.session.flush()
        delivery = WebhookDelivery(endpoint_id=webhook.id, event_type="tiers.created",
                                   message_id=WebhookDelivery.new_message_id(),
                                   payload="{}", status="failed")
        db.session.add(delivery)
        files = [attach(exchange, [check("devis.pdf", io.BytesIO(b"%PDF-1.4 devis"))],
                        admin)[0] for exchange in exchanges]
        db.session.commit()
        trash_item = trash.trash_exchange(binned, admin)
        export = start_tenant_export(admin)
        db.session.commit()
        found = {"admin": admin.id, "other": other.id, "invitation": invitation.id,
                 "closed_tiers": closed.id, "run": run.id, "email": email.id,
                 "exchange": exchanges[0].id, "own": exchanges[1].id,
                 "trash_item": trash_item.id, "export_run": export.id,
                 "webhook": webhook.id, "webhook_delivery": delivery.id,
                 "attachment": files[0].id, "own_attachment": files[1].id}
    with app.app_context():
        build_tenant_export(tenants.a.id, found["export_run"])  # a file to download
    return Ids(found | {
        "member": tenants.a.member_membership_id,
        "group": tenants.a.group_id,
        "entry": choice_id(app, tenants.a.id, "mode", "Téléphone"),
        "picked": make_product(app, tenants.a.id, "S-2", "Pompe doseuse"),
        "chosen": chosen,
        "tiers": a.tiers, "other_tiers": a.other_tiers, "contact": a.contact,
        "document": a.document, "product": a.product, "project": a.project,
        "closed_project": a.closed_project,
        "task": make_task(app, tenants.a.id, "Rappeler", assignee_id=a.member),
        "event": make_event(app, tenants.a.id, "Réunion", assignees=[a.member]),
        "api_token": token_id_of(app, tenants.a.id, tenants.a.member_membership_id),
        "inbound": waiting_email(app, tenants.a.id, tenants.a.member_membership_id),
        "dismissable": waiting_email(app, tenants.a.id, tenants.a.member_membership_id,
                                     message_id="<w2@alpha.fr>"),
    })


def token_id_of(app, tenant_id: int, membership_id: int) -> int:
    issue_token(app, tenant_id, membership_id)
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(ApiToken.id).where(
            ApiToken.membership_id == membership_id))


ALL_ROUTES = [*(r for rs in GOVERNED.values() for r in rs),
              *(r for rs in ANY_OF.values() for r in rs), *ADMIN_ONLY, *OPEN]


def endpoint_of(app, route: Route) -> tuple[str, str]:
    """The endpoint a row of the tables reaches (any id will do to find it)."""
    names = {name for _, name, _, _ in string.Formatter().parse(route.path) if name}
    path = route.url("acme", dict.fromkeys(names, "1")).split("?")[0]
    endpoint, _ = app.url_map.bind("localhost").match(path, method=route.method)
    return endpoint, route.method


def test_every_right_governs_a_route():
    assert set(GOVERNED) == set(RIGHTS)
    governing = {r for r, routes in GOVERNED.items() if routes}
    governing |= {r for group in ANY_OF for r in group}
    assert governing == set(RIGHTS)


def test_every_route_is_in_a_table(app):
    """Every route of a company must say who may use it: a new one without a row fails."""
    listed = {endpoint_of(app, route) for route in ALL_ROUTES}  # a stale row fails here
    missing = [f"{method} {rule.rule}"
               for rule in app.url_map.iter_rules() if rule.rule.startswith(TENANT_PREFIX)
               for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
               if (rule.endpoint, method) not in listed]
    assert not missing, "routes in no table of tests/test_rights.py:\n" + "\n".join(missing)


def test_a_route_is_either_open_or_checked(app):
    """An OPEN row must not also be in a table that refuses it."""
    checked = {endpoint_of(app, r) for r in ALL_ROUTES if r not in OPEN}
    assert not checked & {endpoint_of(app, r) for r in OPEN}


# Each test below sends many routes on one set of rows (a fresh company costs far more
# than a request): it lists every route that misbehaved, not only the first.


def refusals(app, client, slug: str, ids, routes) -> list[str]:
    """The routes that did not refuse as their row says, or that changed a row."""
    wrong = []
    for route in routes:
        before = snapshot(app)
        status = route.send(client, slug, ids).status_code
        if status != route.refused:
            wrong.append(f"{route}: {status} instead of {route.refused}")
        elif snapshot(app) != before:
            wrong.append(f"{route}: refused but changed the database")
    return wrong


def failures_to_serve(client, slug: str, ids, routes, ok=lambda status: status not in
                      (403, 404, 500)) -> list[str]:
    """The routes that did not let the member through (the route may refuse the data
    itself: a 422 passes). They run in their table's order: a delete comes last."""
    return [f"{route}: {status}" for route in routes
            if not ok(status := route.send(client, slug, ids).status_code)]


@pytest.mark.parametrize("right", GOVERNED)
def test_a_member_without_the_right_is_refused_and_nothing_changes(app, client, tenants, ids,
                                                                   right):
    routes = GOVERNED[right]
    member_id, slug = tenants.a.member_membership_id, tenants.a.slug
    set_rights(app, tenants.a.id, member_id, [r for r in RIGHTS if r != right])
    log_in(client, tenants.a.member_email)
    assert not refusals(app, client, slug, ids, routes)
    # The same member with the right passes the check.
    set_rights(app, tenants.a.id, member_id, list(RIGHTS))
    assert not failures_to_serve(client, slug, ids, routes)


ANY_OF_CASES = [(group, kept) for group in ANY_OF for kept in group]


@pytest.mark.parametrize("group, kept", ANY_OF_CASES, ids=[k for _, k in ANY_OF_CASES])
def test_one_right_of_the_group_is_enough_and_none_is_refused(app, client, tenants, ids,
                                                            group, kept):
    routes = ANY_OF[group]
    member_id, slug = tenants.a.member_membership_id, tenants.a.slug
    set_rights(app, tenants.a.id, member_id, [r for r in RIGHTS if r not in group])
    log_in(client, tenants.a.member_email)
    assert not refusals(app, client, slug, ids, routes)
    set_rights(app, tenants.a.id, member_id,
               [r for r in RIGHTS if r not in group or r == kept])
    assert not failures_to_serve(client, slug, ids, routes)


def test_a_member_holding_every_right_is_still_not_an_admin(app, client, tenants, ids):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, list(RIGHTS))
    log_in(client, tenants.a.member_email)
    assert not refusals(app, client, tenants.a.slug, ids, ADMIN_ONLY)


@pytest.mark.parametrize("route", ADMIN_ONLY, ids=str)
def test_an_admin_passes_the_admin_checks(app, tenants, ids, route):
    """One route a test: these change members and groups the next route would need."""
    admin = log_in(app.test_client(), tenants.a.admin_email)
    assert not failures_to_serve(admin, tenants.a.slug, ids, [route])


def test_open_routes_serve_a_member_without_any_right(app, client, tenants, ids):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, [])
    log_in(client, tenants.a.member_email)
    pages = [r for r in OPEN if r.method == "GET"]
    actions = [r for r in OPEN if r.method != "GET"]
    assert not failures_to_serve(client, tenants.a.slug, ids, pages, lambda s: s == 200)
    assert not failures_to_serve(client, tenants.a.slug, ids, actions, lambda s: s in (200, 303))


def test_no_route_serves_another_company(app, client, tenants, ids):
    """Company B's admin holds every right, in company B only."""
    log_in(client, tenants.b.admin_email)
    routes = [replace(route, refused=404) for route in ALL_ROUTES]
    assert not refusals(app, client, tenants.a.slug, ids, routes)
