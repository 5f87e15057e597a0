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
        from ct.demo import DEMO_EMAIL, DEMO_PASSWORD, seed

        created = seed()
        db.session.commit()
        state = "created" if created else "already there"
        click.echo(f"Demo company {state}. Log in with {DEMO_EMAIL} / {DEMO_PASSWORD}")

    @ct_group.command("relay")
    def relay():
        """Enqueue the pending emails once (the clock process does it every minute)."""
        from ct.mailer import relay_outbox

        click.echo(f"{relay_outbox()} email(s) handed to the queue")

    @ct_group.command("bench-data")
    @click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(0.0001, 10),
                  help="1.0 = 1,000,000 exchanges in the large company.")
    @click.option("--seed", default=42, show_default=True, type=int)
    @click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="The day the data ends (default: today); same seed and day, same rows.")
    @click.option("--yes", is_flag=True, help="Do not ask before emptying the database.")
    def bench_data(scale, seed, today, yes):
        """Fill a PostgreSQL database with benchmark data (REPLACES every tenant's data)."""
        from ct.benchdata.command import run

        run(scale, seed, today.date() if today else None, yes)
