"""Sending one webhook delivery: signed, timed, logged, tried again, or given up.

A worker runs ``deliver`` for a delivery the outbox hands out (ct.models.outbox: one
worker at a time per delivery, retries with growing delays, the relay for lost jobs).
Only a 2xx answer is a success; anything else, a timeout or a refused address is a
failed attempt, logged with its code and time. After WEBHOOK_DISABLE_AFTER failed
attempts in a row, the endpoint is disabled and the company's administrators told.
"""

from __future__ import annotations

import logging
import time

import requests
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from ct.emails.mailer import external_url, queue_email
from ct.emails.notify import common
from ct.emails.templates.catalog import WEBHOOK_DISABLED
from ct.extensions import db
from ct.models import Membership
from ct.models.base import utcnow
from ct.models.outbox import FAILED, SENT, relay, send_claimed
from ct.models.webhook import WebhookDelivery, WebhookEndpoint
from ct.webhooks.targets import RefusedTarget, check_target

log = logging.getLogger(__name__)
USER_AGENT = "ct-webhooks/1"
CONNECT_TIMEOUT = 3  # seconds; the answer's: WEBHOOK_TIMEOUT


def signed_headers(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> dict:
    """The Standard Webhooks headers: the same id on every attempt, the time of this
    attempt, and the HMAC-SHA256 of "id.timestamp.body" with the endpoint's secret."""
    now = utcnow()
    signature = Webhook(endpoint.secret).sign(delivery.message_id, now, delivery.payload)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def deliver(delivery_id: int) -> str:
    """Send one delivery (the worker's job)."""
    return send_claimed(WebhookDelivery, delivery_id, _send_claimed)


def _send_claimed(delivery: WebhookDelivery) -> str:
    endpoint = db.session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.id == delivery.endpoint_id))
    if not endpoint.active:
        delivery.status = FAILED
        delivery.claimed_at = None
        delivery.last_error = "The endpoint is disabled."
        db.session.commit()
        return FAILED
    started = time.monotonic()
    error = None
    try:
        check_target(endpoint.url)
        response = requests.post(
            endpoint.url, data=delivery.payload.encode(),
            headers=signed_headers(endpoint, delivery), allow_redirects=False,
            timeout=(CONNECT_TIMEOUT, current_app.config["WEBHOOK_TIMEOUT"]))
        delivery.response_status = response.status_code
        if not 200 <= response.status_code < 300:
            error = f"HTTP {response.status_code} {response.reason or ''}".strip()
    except RefusedTarget as refused:
        delivery.response_status = None
        with force_locale("en"):  # the log's errors are technical text, in English
            error = str(refused)
    except requests.RequestException as failure:  # refused, unreachable, timed out…
        delivery.response_status = None
        error = f"{type(failure).__name__}: {failure}"
    delivery.last_attempt_at = utcnow()
    delivery.response_ms = round((time.monotonic() - started) * 1000)
    if error is None:
        delivery.status = SENT
        delivery.attempts += 1
        delivery.claimed_at = None
        delivery.delivered_at = delivery.last_attempt_at
        delivery.last_error = None
        endpoint.consecutive_failures = 0
    else:
        delivery.record_failure(error)
        endpoint.consecutive_failures += 1
        log.warning("webhook %s to endpoint %s failed (attempt %s): %s", delivery.id,
                    endpoint.id, delivery.attempts, error)
        if endpoint.consecutive_failures >= current_app.config["WEBHOOK_DISABLE_AFTER"]:
            disable(endpoint, error)
    db.session.commit()
    return delivery.status


def disable(endpoint: WebhookEndpoint, last_error: str) -> None:
    """Stop sending to an endpoint that keeps failing, and tell the admins by email."""
    endpoint.active = False
    endpoint.disabled_at = utcnow()
    endpoint.disabled_reason = last_error[:2000]
    company = common.tenant(endpoint.tenant_id)
    admins = db.session.scalars(select(Membership).where(Membership.active.is_(True)))
    for admin in (member for member in admins if member.is_admin):
        if not common.can_receive(admin):
            continue
        queue_email(
            "webhook_disabled", admin.user.email, WEBHOOK_DISABLED, common.language(admin),
            recipient_name=admin.user.display_name, company=company.name,
            url=endpoint.url, failures=endpoint.consecutive_failures, error=last_error,
            link=external_url("webhooks.card", slug=company.slug, endpoint_id=endpoint.id),
        )


def relay_webhooks() -> int:
    """Enqueue every delivery that is due (periodic job of the clock process)."""
    return relay(WebhookDelivery, deliver)
