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
