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


def test_starttls_is_offered_with_a_certificate(app, tenants, tmp_path, monkeypatch):
    """With CAPTURE_TLS_CERT and CAPTURE_TLS_KEY the service offers STARTTLS and takes
    the message over TLS; without them it offers none."""
    import smtplib
    import ssl

    from ct.capture.smtp import controller

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=capture.ct.localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    for with_tls in (False, True):
        monkeypatch.setitem(app.config, "CAPTURE_TLS_CERT", str(cert) if with_tls else None)
        monkeypatch.setitem(app.config, "CAPTURE_TLS_KEY", str(key) if with_tls else None)
        server = controller(app, "127.0.0.1", free_port())
        server.start()
        try:
            with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
                client.ehlo()
                assert client.has_extn("starttls") is with_tls
                if with_tls:
                    trusting = ssl.create_default_context()  # the test's own certificate
                    trusting.check_hostname = False
                    trusting.verify_mode = ssl.CERT_NONE
                    client.starttls(context=trusting)
                    client.ehlo()
                    message = mail().as_string().replace("\n", "\r\n")
                    assert client.sendmail("me@example.org", [mine], message) == {}
        finally:
            server.stop()
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "pending"
