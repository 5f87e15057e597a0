"""Benchmark-only additions, present only when BENCH_ROUTES is on (never in production).

- A reference page: 50 rows of one simple table through the same stack as every page
  (login, tenant resolution and scoping, SQLAlchemy, Jinja, base.html), so the load
  benchmark reports each page as a ratio to what the stack itself costs.
- An ``X-Query-Count`` response header: the SQL statements the request executed,
  counted by a ``before_cursor_execute`` listener.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context
from sqlalchemy import event, select

from ct.extensions import db
from ct.models import Tiers
from ct.web.current import tenant_blueprint
from ct.web.htmx import render

bp = tenant_blueprint("bench_reference", __name__, "/bench")
REFERENCE_ROWS = 50


@bp.get("/reference")
def reference():
    rows = db.session.scalars(
        select(Tiers).order_by(Tiers.sort_key, Tiers.id).limit(REFERENCE_ROWS)
    ).all()
    return render("bench/reference.html", rows=rows)


def _count_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context():
        g.bench_query_count = g.get("bench_query_count", 0) + 1


def _add_query_count(response):
    response.headers["X-Query-Count"] = str(g.get("bench_query_count", 0))
    return response


def init_bench(app: Flask) -> None:
    app.register_blueprint(bp)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count_statement)
    app.after_request(_add_query_count)
