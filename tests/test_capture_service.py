"""`flask ct capture-smtp` as the Procfile runs it: a process of its own on the test
database, which keeps what it is sent and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys

from tests.capture_support import CaptureServer, address_of, inbound_of, mail
from tests.smtp import ROOT, free_port, worker_env


def test_the_capture_process_keeps_mail_and_stops_on_sigterm(app, tenants):
    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "ct", "capture-smtp",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=worker_env(app), text=True, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    try:
        lines = []
        while "Capture SMTP service on" not in (line := process.stdout.readline()) and line:
            lines.append(line)  # aiosmtpd's own log lines come first
        assert f"Capture SMTP service on 127.0.0.1:{port}" in line, lines
        assert CaptureServer(app, port).send(mail(), [mine]) == {}
        [row] = inbound_of(app, tenants.a.id)
        assert row.status == "pending" and row.membership_id == tenants.a.member_membership_id
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
