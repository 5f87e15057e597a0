"""The administrator's webhook pages: an endpoint added with its address checked and its
secret shown once, edited, disabled and enabled, its secret rotated, deleted with its
log; the delivery log paged, a delivery sent again, a test event; members refused and
another company's ids unknown."""

from __future__ import annotations

import re
import socket

import pytest
from markupsafe import escape
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db, rq
from ct.models import AuditEntry
from ct.models.base import utcnow
from ct.models.outbox import FAILED, PENDING, SENDING, SENT
from ct.models.webhook import TEST_EVENT, WebhookDelivery, WebhookEndpoint
from ct.webhooks import manage
from tests.admin_support import snapshot
from tests.planning_data import make_tiers

SECRET = re.compile(r'value="(whsec_[A-Za-z0-9+/=]+)"')
PUBLIC_URL = "https://hooks.example.com/ct"
PRIVATE = "Cette adresse pointe à l'intérieur d'un réseau privé"


@pytest.fixture
def public_dns(monkeypatch):
    """Every host resolves to a public address (the tests have no DNS of their own)."""
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host.endswith("example.com"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.fixture
def admin(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    return client


def url(tenant, path: str = "") -> str:
    return f"/t/{tenant.slug}/webhooks/{path}"


def endpoints(app, tenant_id: int) -> list[WebhookEndpoint]:
    with app.app_context(), bound_tenant(tenant_id):
        rows = list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))
        db.session.expunge_all()
        return rows


def deliveries(app, tenant_id: int) -> list[WebhookDelivery]:
    with app.app_context(), bound_tenant(tenant_id):
        rows = list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        db.session.expunge_all()
        return rows


def add_endpoint(app, tenant, events=("tiers.created",), address=PUBLIC_URL) -> int:
    with app.app_context(), bound_tenant(tenant.id):
        endpoint = manage.register(address, "Compta", list(events),
                                   created_by_id=tenant.admin_membership_id)
        db.session.commit()
        return endpoint.id


def add_delivery(app, tenant_id: int, endpoint_id: int, status=SENT, **values) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        row = WebhookDelivery(endpoint_id=endpoint_id, event_type="tiers.created",
                              message_id=WebhookDelivery.new_message_id(), payload="{}",
                              status=status, **values)
        db.session.add(row)
        db.session.commit()
        return row.id


def audit_actions(app, tenant_id: int) -> list[str]:
    with app.app_context(), bound_tenant(tenant_id):
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.startswith("webhook.")).order_by(AuditEntry.id)))


def form(address=PUBLIC_URL, events=("tiers.created", "exchange.status_changed"), **extra):
    return {"url": address, "description": "Synchro compta", "events": list(events), **extra}


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(app, admin, tenants, public_dns):
    empty = admin.get(url(tenants.a)).text
    assert "Aucun point de terminaison" in empty and "/api/v1/" in empty
    assert admin.get(url(tenants.a, "new")).status_code == 200

    response = admin.post(url(tenants.a, "new"), data=form())
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = SECRET.search(response.text).group(1)
    [row] = endpoints(app, tenants.a.id)
    assert row.secret == secret and row.url == PUBLIC_URL and row.active
    assert row.event_types == ["exchange.status_changed", "tiers.created"]
    assert row.description == "Synchro compta"
    assert "webhook-signature" in response.text  # how to check a request
    card = admin.get(url(tenants.a, str(row.id))).text
    assert secret not in card and PUBLIC_URL in card
    listed = admin.get(url(tenants.a)).text
    assert secret not in listed and PUBLIC_URL in listed and "Rien d'envoyé" in listed
    assert audit_actions(app, tenants.a.id) == ["webhook.create"]


@pytest.mark.parametrize("address, message", [
    ("http://127.0.0.1:8000/hook", PRIVATE),
    ("http://10.1.2.3/hook", PRIVATE),
    ("http://169.254.169.254/latest/meta-data/", PRIVATE),
    ("ftp://example.com/hook", "Saisissez une adresse complète commençant par https://."),
    ("https://nowhere.invalid/hook", "L'hôte de cette adresse est introuvable."),
])
def test_an_address_inside_the_network_is_refused(app, admin, tenants, address, message):
    before = snapshot(app)
    response = admin.post(url(tenants.a, "new"), data=form(address))
    assert response.status_code == 422
    assert escape(message) in response.text and 'aria-invalid="true"' in response.text
    assert "whsec_" not in response.text
    assert snapshot(app) == before


def test_a_private_address_is_accepted_when_the_setting_allows_it(app, admin, tenants,
                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
    response = admin.post(url(tenants.a, "new"), data=form("http://127.0.0.1:8000/hook"))
    assert response.status_code == 200
    assert [e.url for e in endpoints(app, tenants.a.id)] == ["http://127.0.0.1:8000/hook"]


@pytest.mark.parametrize("events, message", [
    ((), "Choisissez au moins un événement."),
    (("tiers.created", "tiers.exploded"), "Choisissez des événements de la liste."),
])
def test_the_events_are_checked(app, admin, tenants, public_dns, events, message):
    before = snapshot(app)
    response = admin.post(url(tenants.a, "new"), data=form(events=events))
    assert response.status_code == 422 and escape(message) in response.text
    assert PUBLIC_URL in response.text  # what was typed is kept
    assert snapshot(app) == before


def test_an_address_is_required_and_kept_short(app, admin, tenants):
    for address in ("", "https://example.com/" + "a" * 2000):
        response = admin.post(url(tenants.a, "new"), data=form(address))
        assert response.status_code == 422 and 'aria-invalid="true"' in response.text
    assert endpoints(app, tenants.a.id) == []


def test_editing_an_endpoint_checks_its_address_again(app, admin, tenants, public_dns):
    endpoint_id = add_endpoint(app, tenants.a)
    page = admin.get(url(tenants.a, f"{endpoint_id}/edit")).text
    assert 'value="tiers.created" checked' in page and PUBLIC_URL in page

    refused = admin.post(url(tenants.a, f"{endpoint_id}/edit"),
                         data=form("http://192.168.1.10/hook"))
    assert refused.status_code == 422 and escape(PRIVATE) in refused.text
    assert endpoints(app, tenants.a.id)[0].url == PUBLIC_URL

    response = admin.post(url(tenants.a, f"{endpoint_id}/edit"), data=form(
        "https://crm.example.com/in", events=("contact.created", "contact.deleted"),
        description=""))
    assert response.status_code == 303
    [row] = endpoints(app, tenants.a.id)
    assert row.url == "https://crm.example.com/in" and row.description is None
    assert row.event_types == ["contact.created", "contact.deleted"]
    assert audit_actions(app, tenants.a.id) == ["webhook.update"]


def test_disabling_and_enabling_an_endpoint(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    assert admin.post(url(tenants.a, f"{endpoint_id}/disable")).status_code == 303
    assert not endpoints(app, tenants.a.id)[0].active
    card = admin.get(url(tenants.a, str(endpoint_id))).text
    assert "Désactivé par Admin Alpha Conseil le" in card and "Send a test" not in card
    assert 'id="send-test"' not in card

    assert admin.post(url(tenants.a, f"{endpoint_id}/enable")).status_code == 303
    assert endpoints(app, tenants.a.id)[0].active
    assert audit_actions(app, tenants.a.id) == ["webhook.disable", "webhook.enable"]


def test_an_endpoint_disabled_after_its_failures_says_why(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    with app.app_context(), bound_tenant(tenants.a.id):
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        endpoint.active, endpoint.disabled_at = False, utcnow()
        endpoint.consecutive_failures, endpoint.disabled_reason = 20, "HTTP 502 Bad Gateway"
        db.session.commit()
    card = admin.get(url(tenants.a, str(endpoint_id))).text
    assert "après 20 tentatives échouées d'affilée" in card and "HTTP 502 Bad Gateway" in card
    assert "HTTP 502 Bad Gateway" in admin.get(url(tenants.a)).text
    admin.post(url(tenants.a, f"{endpoint_id}/enable"))
    [row] = endpoints(app, tenants.a.id)
    assert row.active and row.disabled_reason is None and row.consecutive_failures == 0


def test_rotating_the_secret_shows_the_new_one_once(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    old = endpoints(app, tenants.a.id)[0].secret
    response = admin.post(url(tenants.a, f"{endpoint_id}/rotate"))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    new = SECRET.search(response.text).group(1)
    assert new != old and endpoints(app, tenants.a.id)[0].secret == new
    assert new not in admin.get(url(tenants.a, str(endpoint_id))).text
    assert audit_actions(app, tenants.a.id) == ["webhook.rotate_secret"]


def test_deleting_an_endpoint_deletes_its_log(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    kept = add_endpoint(app, tenants.a, address="https://other.example.com/")
    add_delivery(app, tenants.a.id, endpoint_id)
    other = add_delivery(app, tenants.a.id, kept)
    response = admin.post(url(tenants.a, f"{endpoint_id}/delete"))
    assert response.status_code == 303 and response.headers["Location"] == url(tenants.a)
    assert [e.id for e in endpoints(app, tenants.a.id)] == [kept]
    assert [d.id for d in deliveries(app, tenants.a.id)] == [other]
    assert audit_actions(app, tenants.a.id) == ["webhook.delete"]


def test_the_log_lists_the_deliveries_of_changes_newest_first_by_pages(app, admin,
                                                                       tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    for n in range(27):
        make_tiers(app, tenants.a.id, f"Client {n:02}")  # each sends tiers.created
    made = deliveries(app, tenants.a.id)
    assert len(made) == 27 and {d.endpoint_id for d in made} == {endpoint_id}

    first = admin.get(url(tenants.a, str(endpoint_id))).text
    ids = [int(i) for i in re.findall(r'id="delivery-(\d+)"', first)]
    assert ids == sorted((d.id for d in made), reverse=True)[:25]
    next_page = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    rest = [int(i) for i in re.findall(r'id="delivery-(\d+)"', admin.get(next_page).text)]
    assert rest == sorted(d.id for d in made)[:2][::-1]


def test_the_log_shows_each_deliverys_answer_and_filters_the_failed(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    sent = add_delivery(app, tenants.a.id, endpoint_id, SENT, response_status=204,
                        response_ms=37, attempts=1)
    failed = add_delivery(app, tenants.a.id, endpoint_id, FAILED, response_status=500,
                          response_ms=12, attempts=7, last_error="HTTP 500 " + "x" * 200)
    waiting = add_delivery(app, tenants.a.id, endpoint_id, PENDING, attempts=2,
                           last_error="ConnectionError: refused")
    page = admin.get(url(tenants.a, str(endpoint_id))).text
    row = page.split(f'id="delivery-{failed}"')[1].split("</tr>")[0]
    assert "Échec" in row and "500" in row and "12 ms" in row and "Renvoyer" in row
    assert 'title="HTTP 500 ' + "x" * 200 in row  # the whole error in the title
    row = page.split(f'id="delivery-{waiting}"')[1].split("</tr>")[0]
    assert "Prochaine tentative" in row and "Renvoyer" not in row
    row = page.split(f'id="delivery-{sent}"')[1].split("</tr>")[0]
    assert "204" in row and "37 ms" in row and "Renvoyer" in row

    only_failed = admin.get(url(tenants.a, f"{endpoint_id}?status=failed")).text
    assert re.findall(r'id="delivery-(\d+)"', only_failed) == [str(failed)]


def test_sending_again_starts_a_new_series_of_attempts(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    failed = add_delivery(app, tenants.a.id, endpoint_id, FAILED, attempts=7,
                          last_error="HTTP 500")
    busy = add_delivery(app, tenants.a.id, endpoint_id, SENDING, attempts=1)
    response = admin.post(url(tenants.a, f"{endpoint_id}/deliveries/{failed}/again"))
    assert response.status_code == 303
    row = next(d for d in deliveries(app, tenants.a.id) if d.id == failed)
    assert (row.status, row.attempts) == (PENDING, 0)
    with app.app_context():
        [job_id] = rq.queue.job_ids
        assert job_id.startswith(f"webhook-{failed}-0-again-")
    assert "sera renvoyé" in admin.get(url(tenants.a, str(endpoint_id))).text

    admin.post(url(tenants.a, f"{endpoint_id}/deliveries/{busy}/again"))
    assert next(d for d in deliveries(app, tenants.a.id) if d.id == busy).status == SENDING
    assert "Seul un envoi" in admin.get(url(tenants.a, str(endpoint_id))).text


def test_a_delivery_of_another_endpoint_is_404(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    other = add_endpoint(app, tenants.a, address="https://other.example.com/")
    delivery = add_delivery(app, tenants.a.id, other, FAILED)
    response = admin.post(url(tenants.a, f"{endpoint_id}/deliveries/{delivery}/again"))
    assert response.status_code == 404
    assert deliveries(app, tenants.a.id)[0].status == FAILED


def test_send_a_test_event(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    assert admin.post(url(tenants.a, f"{endpoint_id}/test")).status_code == 303
    [ping] = deliveries(app, tenants.a.id)
    assert (ping.event_type, ping.endpoint_id, ping.status) == (TEST_EVENT, endpoint_id,
                                                                 PENDING)
    with app.app_context():
        assert rq.queue.job_ids == [ping.job_id]
    assert f'id="delivery-{ping.id}"' in admin.get(url(tenants.a, str(endpoint_id))).text


def test_the_menu_offers_the_page_to_admins_only(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    assert url(tenants.a) in client.get(f"/t/{tenants.a.slug}/").text
    auth.logout()
    auth.login(tenants.a.member_email)
    assert url(tenants.a) not in client.get(f"/t/{tenants.a.slug}/").text


def _routes(endpoint_id: int, delivery_id: int) -> list[tuple[str, str]]:
    return [("GET", ""), ("GET", "new"), ("POST", "new"), ("GET", f"{endpoint_id}"),
            ("GET", f"{endpoint_id}/edit"), ("POST", f"{endpoint_id}/edit"),
            ("POST", f"{endpoint_id}/disable"), ("POST", f"{endpoint_id}/enable"),
            ("POST", f"{endpoint_id}/rotate"), ("POST", f"{endpoint_id}/test"),
            ("POST", f"{endpoint_id}/deliveries/{delivery_id}/again"),
            ("POST", f"{endpoint_id}/delete")]


def test_a_member_is_refused_every_page(app, client, auth, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    delivery_id = add_delivery(app, tenants.a.id, endpoint_id, FAILED)
    auth.login(tenants.a.member_email)
    before = snapshot(app)
    for method, path in _routes(endpoint_id, delivery_id):
        response = client.open(url(tenants.a, path), method=method, data=form())
        assert response.status_code == 403, (method, path)
    assert snapshot(app) == before


def test_another_companys_endpoints_and_deliveries_are_404(app, admin, tenants):
    theirs = add_endpoint(app, tenants.b)
    their_delivery = add_delivery(app, tenants.b.id, theirs, FAILED)
    ours = add_endpoint(app, tenants.a)
    before = snapshot(app)
    for method, path in _routes(theirs, their_delivery)[3:]:
        response = admin.open(url(tenants.a, path), method=method, data=form())
        assert response.status_code == 404, (method, path)
    response = admin.post(url(tenants.a, f"{ours}/deliveries/{their_delivery}/again"))
    assert response.status_code == 404
    assert admin.get(url(tenants.a, "99999999999999999999")).status_code == 404
    assert snapshot(app) == before


def test_nothing_is_sent_to_a_disabled_endpoint(app, admin, tenants):
    endpoint_id = add_endpoint(app, tenants.a)
    failed = add_delivery(app, tenants.a.id, endpoint_id, FAILED, attempts=7)
    admin.post(url(tenants.a, f"{endpoint_id}/disable"))
    admin.post(url(tenants.a, f"{endpoint_id}/test"))
    admin.post(url(tenants.a, f"{endpoint_id}/deliveries/{failed}/again"))
    assert [(d.id, d.status) for d in deliveries(app, tenants.a.id)] == [(failed, FAILED)]
    with app.app_context():
        assert rq.queue.job_ids == []
    card = admin.get(url(tenants.a, str(endpoint_id))).text
    assert escape("Activez d'abord le point de terminaison") in card and "Renvoyer" not in card
