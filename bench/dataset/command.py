"""The benchmark load (``python -m bench.dataset``): checks, then the generator."""

from __future__ import annotations

import time

import click
from flask import current_app
from sqlalchemy import make_url

from ct.extensions import db

from . import accounts, generate


def run(scale: float, seed: int, today, yes: bool) -> None:
    # The load truncates and rebuilds keys: the owner's work (MIGRATION_DATABASE_URL).
    owner = current_app.config.get("MIGRATION_DATABASE_URI")
    url = make_url(owner) if owner else db.engine.url
    if url.get_backend_name() != "postgresql":
        raise click.ClickException("The benchmark data needs PostgreSQL (set DATABASE_URL).")
    if not yes:
        click.confirm(f"Empty every table of {url.database} and load benchmark data?",
                      abort=True)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    db.session.remove()
    db.engine.dispose()  # the load truncates: no pooled connection may hold a lock
    started = time.monotonic()
    counts = generate(dsn, db.metadata, scale=scale, seed=seed, today=today, log=click.echo)
    elapsed = time.monotonic() - started
    click.echo(f"Loaded in {elapsed:.0f} s:")
    for table, count in sorted(counts.items(), key=lambda item: -item[1]):
        click.echo(f"  {table:24} {count:>10,}")
    click.echo(f"Log in at /t/{accounts.BENCH_SLUG}/ as "
               f"{accounts.member_email(accounts.BENCH_SLUG, 1)} (admin) … "
               f"{accounts.member_email(accounts.BENCH_SLUG, accounts.BENCH_MEMBERS)}, "
               f"or {accounts.member_email(accounts.small_slug(1), 1)}; "
               f"password: {accounts.PASSWORD}")
