"""``flask ct …`` commands."""

import click
from flask import Flask

from ct.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.group("ct")
    def ct_group():
        """ct administration commands."""

    @ct_group.command("seed-demo")
    def seed_demo():
        """Create the demo company (once; running it again changes nothing)."""
        from ct.demo.seed import DEMO_EMAIL, DEMO_PASSWORD, seed

        created = seed()
        db.session.commit()
        state = "created" if created else "already there"
        click.echo(f"Demo company {state}. Log in with {DEMO_EMAIL} / {DEMO_PASSWORD}")

    @ct_group.command("relay")
    def relay():
        """Enqueue the pending emails once (the clock process does it every minute)."""
        from ct.emails.mailer import relay_outbox

        click.echo(f"{relay_outbox()} email(s) handed to the queue")

    @ct_group.command("capture-smtp")
    @click.option("--host", default=None, help="Address to listen on (CAPTURE_SMTP_HOST).")
    @click.option("--port", default=None, type=int, help="Port (CAPTURE_SMTP_PORT).")
    def capture_smtp(host, port):
        """Receive the mail sent to the members' capture addresses (docs/EMAIL.md)."""
        import signal
        import threading

        from flask import current_app

        from ct.capture.smtp import controller

        app = current_app._get_current_object()
        server = controller(app, host or app.config["CAPTURE_SMTP_HOST"],
                            port or app.config["CAPTURE_SMTP_PORT"])
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        server.start()
        click.echo(f"Capture SMTP service on {server.hostname}:{server.port} for "
                   f"@{app.config['MAIL_CAPTURE_DOMAIN']}")
        try:
            stop.wait()
        finally:
            server.stop()
