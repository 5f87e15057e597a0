"""What an administrator does to endpoints and deliveries, for the pages to call: the
same rules whichever page or test asks."""

from __future__ import annotations

import secrets

from sqlalchemy import delete

from ct.core.jobs import enqueue_after_commit
from ct.extensions import db
from ct.models.outbox import SENDING
from ct.models.webhook import TEST_EVENT, WebhookDelivery, WebhookEndpoint, new_secret
from ct.webhooks.changes import delivery_for
from ct.webhooks.delivery import deliver


def register(url: str, description: str | None, event_types: list[str],
             created_by_id: int) -> WebhookEndpoint:
    """A new endpoint with a fresh secret (the page shows it once). Check the address
    with ct.webhooks.targets.check_target first."""
    endpoint = WebhookEndpoint(url=url, description=description or None,
                               event_types=sorted(event_types), secret=new_secret(),
                               created_by_id=created_by_id)
    db.session.add(endpoint)
    return endpoint


def enable(endpoint: WebhookEndpoint) -> None:
    """Send again to an endpoint that was disabled (by hand or after its failures)."""
    endpoint.active = True
    endpoint.consecutive_failures = 0
    endpoint.disabled_at = None
    endpoint.disabled_reason = None


def disable_by_hand(endpoint: WebhookEndpoint) -> None:
    endpoint.active = False


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    """A new signing secret, returned once; the old one signs nothing any more."""
    endpoint.secret = new_secret()
    return endpoint.secret


def _send(delivery: WebhookDelivery, job_suffix: str = "") -> None:
    db.session.flush()
    enqueue_after_commit(deliver, delivery.id, job_id=delivery.job_id + job_suffix)


def send_test(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``ping`` delivery, signed like the others, to check the receiver."""
    delivery = delivery_for(endpoint, TEST_EVENT, {"endpoint_id": endpoint.id})
    db.session.add(delivery)
    _send(delivery)
    return delivery


def send_again(delivery: WebhookDelivery) -> bool:
    """The same message (same id and body, a new signature) in a new series of
    attempts; False while it is being sent."""
    if delivery.status == SENDING:
        return False
    delivery.try_again()
    # Its attempts start again from 0: a job id of its own, or the queue could take this
    # series for a previous one with the same id.
    _send(delivery, f"-again-{secrets.token_hex(4)}")
    return True


def remove(endpoint: WebhookEndpoint) -> None:
    """The endpoint and its delivery log."""
    db.session.execute(delete(WebhookDelivery)
                       .where(WebhookDelivery.endpoint_id == endpoint.id))
    db.session.delete(endpoint)
