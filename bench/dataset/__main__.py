"""Fill a PostgreSQL database with benchmark data (REPLACES every tenant's data).

    python -m bench.dataset [--scale 1.0] [--seed 42] [--today YYYY-MM-DD] [--yes]

The database is the app's (DATABASE_URL, MIGRATION_DATABASE_URL for the owner);
``python -m bench.data`` creates and migrates it first, then runs this.
"""

from __future__ import annotations

import click

from bench.dataset.command import run
from ct import create_app


@click.command()
@click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(0.0001, 10),
              help="1.0 = 1,000,000 exchanges in the large company.")
@click.option("--seed", default=42, show_default=True, type=int)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day the data ends (default: today); same seed and day, same rows.")
@click.option("--yes", is_flag=True, help="Do not ask before emptying the database.")
def bench_data(scale, seed, today, yes):
    with create_app().app_context():
        run(scale, seed, today.date() if today else None, yes)


if __name__ == "__main__":
    bench_data()
