"""Email test tools: a real SMTP server in the test process (aiosmtpd), a real RQ worker
in burst mode, and helpers to read the outbox.

``smtp`` collects what it receives (envelope and parsed message) and can be told to
refuse messages, like a mail server that is full or rejects the sender. ``run_worker``
starts ``flask rq worker --burst`` as a subprocess on the test database, the test
Redis and this SMTP server, exactly as the Procfile's worker runs in production.
Test modules load the fixtures with ``pytest_plugins = ["tests.smtp"]``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from rq import SimpleWorker
from sqlalchemy import select, update

from ct.core.tenancy import ALL_TENANTS
from ct.extensions import db, rq
from ct.models import OutboxEmail
from ct.models.base import utcnow

ROOT = Path(__file__).resolve().parent.parent
BUSY_MACHINE = ROOT / "tests" / "busy_machine"
LINK = re.compile(r"http://ct\.test(/\S+)")


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, content_type: str) -> str:
        found = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        assert found is not None and found.get_content_type() == content_type, content_type
        return found.get_content()


class CollectingHandler:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refusal: str | None = None  # e.g. "550 5.7.1 Relaying denied"
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusal:
            return self.refusal
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, handler: CollectingHandler, port: int) -> None:
        self._handler = handler
        self.port = port

    @property
    def received(self) -> list[Received]:
        return self._handler.received

    def refuse(self, reply: str | None) -> None:
        """Answer every message with ``reply`` (an SMTP error line), or accept again."""
        self._handler.refusal = reply

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        with self._handler.arrived:
            self._handler.arrived.wait_for(lambda: len(self.received) >= count, timeout)
        return self.received


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    handler = CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SMTPServer(handler, controller.port)
    finally:
        controller.stop()


@pytest.fixture
def mail_to_smtp(app, smtp, monkeypatch):
    """Email sent from the test process itself (inline jobs) goes to the test server."""
    monkeypatch.setattr(app.extensions["mail"], "port", smtp.port)
    monkeypatch.setattr(app.extensions["mail"], "server", "127.0.0.1")
    return smtp


@dataclass
class WorkerRun:
    returncode: int
    output: str
    seconds: float


def worker_env(app, smtp_port: int | None = None) -> dict[str, str]:
    """The environment of a worker process: the test's settings, nothing from the
    developer's own (environment or .env)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MAIL_", "FLASK_"))}
    env |= {
        "FLASK_SKIP_DOTENV": "1",
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "MAIL_SUPPRESS_SEND": "0",
        "BASE_URL": app.config["BASE_URL"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "EXPORT_DIR": app.config["EXPORT_DIR"],
    }
    if smtp_port is not None:
        env |= {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port)}
    return env


def start_worker(app, *args: str, smtp_port: int | None = None, own_group: bool = False,
                 busy: bool = False) -> subprocess.Popen:
    """``flask rq worker`` as the Procfile runs it, its output (both streams) in a pipe;
    ``own_group``: in a process group of its own, to kill it whole; ``busy``: as on a
    loaded machine at the worst moment of its exit (tests/busy_machine)."""
    env = worker_env(app, smtp_port)
    if busy:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(BUSY_MACHINE), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "rq", "worker", *args],
        cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=own_group,
    )


def finish_worker(process: subprocess.Popen, timeout: float) -> str:
    """Wait for the worker to exit; past ``timeout`` kill it and fail with the last
    lines it wrote, which say where it stopped."""
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        last = "\n".join(output.splitlines()[-30:])
        pytest.fail(f"the worker did not exit within {timeout:g} s; its last lines:\n{last}")
    return output


@pytest.fixture
def run_worker(app, smtp):
    """Run the real worker until the queue is empty; returns its exit code and output."""

    def run(timeout: float = 60) -> WorkerRun:
        started = time.monotonic()
        process = start_worker(app, "--burst", smtp_port=smtp.port)
        output = finish_worker(process, timeout)
        assert process.returncode == 0, output
        return WorkerRun(process.returncode, output, time.monotonic() - started)

    return run


def run_queued_jobs(app) -> None:
    """A real RQ worker, in burst mode, in this process: the queued jobs run now."""
    with app.app_context():
        SimpleWorker([rq.queue], connection=rq.queue.connection).work(burst=True)


def outbox(app) -> list[OutboxEmail]:
    """Every outbox row, detached, whatever its tenant."""
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxEmail).order_by(OutboxEmail.id).execution_options(**{ALL_TENANTS: True})
        ).all()
        db.session.expunge_all()
        return list(rows)


def set_row(app, email_id: int, **values) -> None:
    """Change an outbox row behind the app's back (time travel, a worker that died)."""
    with app.app_context():
        db.session.execute(update(OutboxEmail).where(OutboxEmail.id == email_id).values(**values)
                           .execution_options(**{ALL_TENANTS: True}))
        db.session.commit()


def make_due(app, email_id: int) -> None:
    set_row(app, email_id, next_attempt_at=utcnow() - timedelta(seconds=1))


def invite(client, auth, tenant, email: str = "nina@alpha.fr"):
    """The tenant's admin invites a teammate over HTTP."""
    auth.login(tenant.admin_email)
    response = client.post(f"/t/{tenant.slug}/members/invite",
                           data={"email": email, "role": "member"})
    assert response.status_code == 303
    return response


def link_in(mail: Received) -> str:
    """The path of the one link of an email, the same in its text and HTML parts."""
    path = LINK.search(mail.part("text/plain")).group(1)
    assert f'href="http://ct.test{path}"' in mail.part("text/html")
    return path
