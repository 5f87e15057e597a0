"""Webhook test tools: a real HTTP receiver in the test process, and an endpoint of a
company that listens to it.

``receiver`` answers each request with the next status of its ``answers`` (the last
one repeated; 200 by default), records what it got, and can be made slow.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.extensions import db
from ct.models import WebhookDelivery, WebhookEndpoint
from ct.webhooks import manage


@dataclass
class Got:
    path: str
    headers: dict
    body: bytes


class Receiver:
    def __init__(self) -> None:
        self.got: list[Got] = []
        self.answers: list[int] = [200]
        self.delay = 0.0
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the name http.server calls
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay)
                status = receiver.answers.pop(0) if len(receiver.answers) > 1 \
                    else receiver.answers[0]
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.url + "elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                with receiver.arrived:
                    receiver.got.append(Got(self.path, dict(self.headers.items()), body))
                    receiver.arrived.notify_all()

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Got]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.got) >= count, timeout)
        return self.got


@pytest.fixture
def receiver():
    r = Receiver()
    r.thread.start()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()


@pytest.fixture
def private_targets(app, monkeypatch):
    """The tests' receiver is on loopback: allowed, here and in a worker process."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_TARGETS", "1")


def add_endpoint(app, tenant_id: int, url: str, event_types, created_by_id=None,
                 active: bool = True) -> tuple[int, str]:
    """An endpoint of the company listening to ``event_types``: (id, secret)."""
    with app.app_context(), bound_tenant(tenant_id):
        endpoint = manage.register(url, None, list(event_types), created_by_id)
        endpoint.active = active
        db.session.commit()
        return endpoint.id, endpoint.secret


def deliveries(app) -> list[WebhookDelivery]:
    """Every delivery, detached, whatever its company, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)
                                  .execution_options(**{ALL_TENANTS: True})).all()
        db.session.expunge_all()
        return list(rows)


def endpoint_row(app, endpoint_id: int) -> WebhookEndpoint:
    with app.app_context():
        row = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
                                .execution_options(**{ALL_TENANTS: True}))
        db.session.expunge_all()
        return row
