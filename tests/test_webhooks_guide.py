"""The receiver of docs/API.md ("Signatures: Standard Webhooks") runs as written: it
accepts a delivery ct signed, refuses one altered on the way, and handles a retried
message once."""

from __future__ import annotations

import re
from pathlib import Path

from ct.models.webhook import WebhookDelivery, WebhookEndpoint, new_secret
from ct.webhooks.changes import delivery_for
from ct.webhooks.delivery import signed_headers

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "API.md"


def _receiver(secret: str):
    """The guide's Python example, with the endpoint's secret in place of the dots."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(), re.S)
    [example] = [b for b in blocks if "webhook.verify" in b]
    namespace: dict = {"__name__": "__main__"}  # as when run as a script
    exec(compile(example.replace('"whsec_…"', repr(secret)), "API.md", "exec"), namespace)
    return namespace["app"].test_client()


def _delivery(app, secret: str) -> tuple[WebhookDelivery, dict]:
    endpoint = WebhookEndpoint(id=7, url="https://hooks.example.com", secret=secret)
    with app.test_request_context():
        delivery = delivery_for(endpoint, "exchange.status_changed", {
            "object": "exchange", "id": 4211, "status": {"before": "done", "after": "todo"}})
        delivery.message_id = WebhookDelivery.new_message_id()
        return delivery, signed_headers(endpoint, delivery)


def test_the_guides_receiver_accepts_a_signed_delivery_once(app):
    secret = new_secret()
    receiver = _receiver(secret)
    delivery, headers = _delivery(app, secret)
    first = receiver.post("/ct-hooks", data=delivery.payload, headers=headers)
    assert first.status_code == 204
    again = receiver.post("/ct-hooks", data=delivery.payload, headers=headers)
    assert again.status_code == 204


def test_the_guides_receiver_refuses_an_altered_or_foreign_message(app):
    secret = new_secret()
    receiver = _receiver(secret)
    delivery, headers = _delivery(app, secret)
    altered = delivery.payload.replace("4211", "4212")
    assert receiver.post("/ct-hooks", data=altered, headers=headers).status_code == 400
    _other, foreign = _delivery(app, new_secret())  # signed with another secret
    assert receiver.post("/ct-hooks", data=delivery.payload,
                         headers=foreign | {"webhook-id": headers["webhook-id"]}).status_code == 400
