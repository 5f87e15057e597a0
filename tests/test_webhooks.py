"""Webhooks, from a change to the receiver: the delivery written in the transaction of
the change (none when it rolls back, none to another company), its thin payload (never
a confidential comment), Standard Webhooks signatures checked with the spec's own
package, a real worker and a real local HTTP receiver, retries with growing delays,
redirects and timeouts as failures, an endpoint disabled after repeated failures with an
email to the admins, and addresses inside the network refused when sending."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook

from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.extensions import db
from ct.models import Event, Exchange, Tiers, TrashItem, WebhookDelivery
from ct.models.base import utcnow
from ct.models.outbox import FAILED, PENDING, SENT
from ct.records.trash import restore
from ct.webhooks.delivery import relay_webhooks
from tests.api_support import bearer
from tests.exchange_data import add, world  # noqa: F401 — the fixture
from tests.smtp import outbox, run_queued_jobs
from tests.webhook_support import add_endpoint, deliveries, endpoint_row


def _new_tiers(client, token, name="Durand SA") -> int:
    response = client.post("/api/v1/tiers/", json={"name": name}, headers=bearer(token))
    assert response.status_code == 201, response.json
    return response.json["id"]


def _make_due(app) -> None:
    with app.app_context():
        db.session.execute(update(WebhookDelivery).values(
            next_attempt_at=utcnow() - timedelta(seconds=1))
            .execution_options(**{ALL_TENANTS: True}))
        db.session.commit()


def _relay_and_run(app) -> None:
    with app.app_context():
        relay_webhooks()
    run_queued_jobs(app)


def test_a_change_writes_its_delivery_with_a_thin_payload(app, client, tenants, token):
    endpoint_id, _secret = add_endpoint(app, tenants.a.id, "https://hooks.example.com/ct",
                                        ["tiers.created", "tiers.updated"])
    tiers_id = _new_tiers(client, token)
    [delivery] = deliveries(app)
    assert (delivery.endpoint_id, delivery.event_type, delivery.status) == \
        (endpoint_id, "tiers.created", PENDING)
    assert delivery.message_id.startswith("msg_")
    body = json.loads(delivery.payload)
    assert body["type"] == "tiers.created" and body["timestamp"].startswith("20")
    assert body["data"] == {"object": "tiers", "id": tiers_id,
                            "url": f"http://ct.test/api/v1/tiers/{tiers_id}",
                            "member_id": tenants.a.admin_membership_id}

    response = client.patch(f"/api/v1/tiers/{tiers_id}", headers=bearer(token),
                            json={"town": "Lyon", "phone": "01 02 03 04 05"})
    assert response.status_code == 200, response.json
    updated = json.loads(deliveries(app)[-1].payload)
    assert updated["type"] == "tiers.updated"
    assert updated["data"]["changed"] == ["phone", "town"]


def test_nothing_is_written_for_a_change_rolled_back_or_refused(app, client, tenants, token):
    add_endpoint(app, tenants.a.id, "https://hooks.example.com/ct", ["tiers.created"])
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add(Tiers(name="Jamais SA"))
        db.session.flush()
        db.session.rollback()
        db.session.commit()  # a commit after the rollback owes nothing either
    refused = client.post("/api/v1/tiers/", json={"name": ""}, headers=bearer(token))
    assert refused.status_code == 422
    assert deliveries(app) == []


def test_only_the_endpoints_of_the_company_that_chose_the_event(app, client, tenants, token):
    add_endpoint(app, tenants.a.id, "https://hooks.example.com/a-other", ["contact.created"])
    add_endpoint(app, tenants.a.id, "https://hooks.example.com/a-off", ["tiers.created"],
                 active=False)
    add_endpoint(app, tenants.b.id, "https://hooks.example.com/b", ["tiers.created"])
    _new_tiers(client, token)
    assert deliveries(app) == []


def test_a_status_change_tells_it_and_a_confidential_comment_never_travels(
        app, client, world, tenants, token):  # noqa: F811
    w = world
    add_endpoint(app, w.tenant_id, "https://hooks.example.com/ct",
                 ["exchange.updated", "exchange.status_changed"])
    exchange_id = add(w, w.tiers["dupont"], w.admin_id, comment="Devis", status="todo")
    response = client.patch(f"/api/v1/exchanges/{exchange_id}", json={"status": "closed"},
                            headers=bearer(token))
    assert response.status_code == 200, response.json
    sent = {d.event_type: json.loads(d.payload) for d in deliveries(app)}
    assert set(sent) == {"exchange.updated", "exchange.status_changed"}
    assert sent["exchange.status_changed"]["data"]["status"] == \
        {"before": "todo", "after": "closed"}
    assert sent["exchange.updated"]["data"]["changed"] == ["status"]

    with app.app_context(), bound_tenant(w.tenant_id):
        exchange = db.session.get(Exchange, exchange_id)
        exchange.confidential_comment = "Budget caché 98765"
        db.session.commit()
    last = deliveries(app)[-1]
    assert json.loads(last.payload)["data"]["changed"] == ["confidential_comment"]
    assert all("98765" not in d.payload for d in deliveries(app))


def test_tasks_and_events_tell_their_changes_whatever_code_saves_them(app, tenants):
    add_endpoint(app, tenants.a.id, "https://hooks.example.com/ct",
                 ["event.created", "event.deleted", "event.updated"])
    with app.app_context(), bound_tenant(tenants.a.id):
        start = utcnow().replace(microsecond=0)
        event = Event(title="Visite", starts_at=start, ends_at=start + timedelta(hours=1))
        db.session.add(event)
        db.session.commit()
        event_id = event.id
        event.reminder_sent_at = utcnow()  # the clock's bookkeeping is no change to tell
        db.session.commit()
        db.session.delete(event)
        db.session.commit()
    told = [(d.event_type, json.loads(d.payload)["data"]) for d in deliveries(app)]
    assert [t for t, _ in told] == ["event.created", "event.deleted"]
    assert told[1][1] == {"object": "event", "id": event_id, "member_id": None}


def test_a_real_worker_sends_it_signed_to_the_receiver(
        app, client, tenants, token, receiver, private_targets, run_worker):
    endpoint_id, secret = add_endpoint(app, tenants.a.id, receiver.url, ["tiers.created"])
    _new_tiers(client, token)
    run_worker()
    [got] = receiver.wait_for(1)
    [delivery] = deliveries(app)
    assert got.path == "/hooks/"
    assert got.headers["webhook-id"] == delivery.message_id
    assert got.headers["Content-Type"] == "application/json"
    # The spec's own package checks the signature and the timestamp.
    assert Webhook(secret).verify(got.body, got.headers) == json.loads(delivery.payload)
    assert delivery.status == SENT and delivery.response_status == 200
    assert delivery.response_ms is not None and delivery.delivered_at is not None
    assert endpoint_row(app, endpoint_id).consecutive_failures == 0


def test_a_failure_is_tried_again_later_with_the_same_id(
        app, client, tenants, token, receiver, private_targets):
    endpoint_id, secret = add_endpoint(app, tenants.a.id, receiver.url, ["tiers.created"])
    receiver.answers = [500, 200]
    _new_tiers(client, token)
    before = utcnow()
    run_queued_jobs(app)
    [delivery] = deliveries(app)
    assert (delivery.status, delivery.attempts, delivery.response_status) == (PENDING, 1, 500)
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    assert before + WebhookDelivery.RETRY_DELAYS[0] <= delivery.next_attempt_at
    assert endpoint_row(app, endpoint_id).consecutive_failures == 1

    _relay_and_run(app)  # not due yet: nothing sent
    assert len(receiver.got) == 1
    _make_due(app)
    _relay_and_run(app)
    first, second = receiver.wait_for(2)
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    Webhook(secret).verify(second.body, second.headers)
    [delivery] = deliveries(app)
    assert (delivery.status, delivery.response_status, delivery.last_error) == (SENT, 200, None)
    assert endpoint_row(app, endpoint_id).consecutive_failures == 0


def test_the_delays_grow_and_the_last_failure_is_final():
    delays = WebhookDelivery.RETRY_DELAYS
    assert all(a < b for a, b in zip(delays, delays[1:], strict=False))
    delivery = WebhookDelivery(attempts=0, status=PENDING)
    for _ in delays:
        delivery.record_failure("HTTP 503")
        assert delivery.status == PENDING
    delivery.record_failure("HTTP 503")
    assert delivery.status == FAILED


@pytest.mark.parametrize("status", [302, 404])
def test_a_redirect_or_an_error_answer_is_a_failure(
        app, client, tenants, token, receiver, private_targets, status):
    add_endpoint(app, tenants.a.id, receiver.url, ["tiers.created"])
    receiver.answers = [status]
    _new_tiers(client, token)
    run_queued_jobs(app)
    [delivery] = deliveries(app)
    assert (delivery.status, delivery.response_status) == (PENDING, status)
    assert len(receiver.got) == 1  # the redirect was not followed


def test_a_receiver_too_slow_is_a_failure(app, client, tenants, token, receiver,
                                          private_targets, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT", 1)
    add_endpoint(app, tenants.a.id, receiver.url, ["tiers.created"])
    receiver.delay = 2
    _new_tiers(client, token)
    run_queued_jobs(app)
    [delivery] = deliveries(app)
    assert delivery.status == PENDING and delivery.response_status is None
    assert "Timeout" in delivery.last_error


def test_repeated_failures_disable_the_endpoint_and_tell_the_admins(
        app, client, tenants, token, receiver, private_targets, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_DISABLE_AFTER", 2)
    endpoint_id, _secret = add_endpoint(app, tenants.a.id, receiver.url, ["tiers.created"])
    receiver.answers = [503]
    _new_tiers(client, token, "Un SA")
    _new_tiers(client, token, "Deux SA")
    run_queued_jobs(app)
    endpoint = endpoint_row(app, endpoint_id)
    assert not endpoint.active and endpoint.disabled_at is not None
    assert endpoint.disabled_reason == "HTTP 503 Service Unavailable"
    told = [m for m in outbox(app) if m.kind == "webhook_disabled"]
    assert [m.to_email for m in told] == [tenants.a.admin_email]  # admins only
    assert receiver.url in told[0].body_text and "503" in told[0].body_text
    assert f"/webhooks/{endpoint_id}" in told[0].body_text

    _new_tiers(client, token, "Trois SA")  # no longer listened to
    assert len(deliveries(app)) == 2
    _make_due(app)
    _relay_and_run(app)  # what was still pending is not sent to a disabled endpoint
    assert {d.status for d in deliveries(app)} == {FAILED}
    assert len(receiver.got) == 2


def test_an_address_inside_the_network_is_refused_when_sending(
        app, client, tenants, token, receiver):
    add_endpoint(app, tenants.a.id, receiver.url, ["tiers.created"])  # saved behind the form
    _new_tiers(client, token)
    run_queued_jobs(app)
    [delivery] = deliveries(app)
    assert receiver.got == []
    assert delivery.status == PENDING and "private network" in delivery.last_error


def test_deliveries_are_rows_of_their_company(app, client, tenants, token):
    add_endpoint(app, tenants.a.id, "https://hooks.example.com/ct", ["tiers.created"])
    _new_tiers(client, token)
    with app.app_context(), bound_tenant(tenants.b.id):
        assert db.session.scalars(select(WebhookDelivery)).all() == []
    with app.app_context(), bound_tenant(tenants.a.id):
        assert len(db.session.scalars(select(WebhookDelivery)).all()) == 1


def test_the_trash_tells_a_deletion_and_a_restoration(app, client, world, token):  # noqa: F811
    w = world
    add_endpoint(app, w.tenant_id, "https://hooks.example.com/ct",
                 ["exchange.created", "exchange.deleted"])
    exchange_id = add(w, w.tiers["dupont"], w.admin_id, comment="Relance")
    assert client.delete(f"/api/v1/exchanges/{exchange_id}",
                         headers=bearer(token)).status_code == 204
    with app.app_context(), bound_tenant(w.tenant_id):
        restored = restore(db.session.scalar(select(TrashItem)))
        db.session.commit()
    told = [(d.event_type, json.loads(d.payload)["data"]["id"]) for d in deliveries(app)]
    assert told == [("exchange.created", exchange_id), ("exchange.deleted", exchange_id),
                    ("exchange.created", restored.record_id)]
