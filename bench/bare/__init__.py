"""The bare stack: what a page costs with Flask and nothing of ct, on the same data.

Flask, Flask-SQLAlchemy, a Flask-Login session and Jinja read the same 50 third parties
of the bench company as ``make bench``'s pages, as the same database role (``ct_app``,
held by row-level security) after the same ``set_config('app.tenant_id', …, true)``, and
render a small layout and table. ``make bench`` serves it with the same gunicorn settings
as ct and reports every ct page view as a ratio to it. It must never import ct: it is
the floor ct is measured against.

    DATABASE_URL=postgresql+psycopg://ct_app@127.0.0.1/ct_bench BENCH_SLUG=bench \\
        gunicorn bench.bare:app
"""

from __future__ import annotations

import os

from flask import Flask, abort, redirect, render_template
from flask_login import LoginManager, UserMixin, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, select, text
from sqlalchemy.orm import Mapped, mapped_column

ROWS = 50

db = SQLAlchemy()
login_manager = LoginManager()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(120))


class Tiers(db.Model):
    __tablename__ = "tiers"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    sort_key: Mapped[str] = mapped_column(String(200))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.scalar(select(User).where(User.id == int(user_id)))


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-bare-stack-secret-key-0123456789"),
        SQLALCHEMY_DATABASE_URI=os.environ["DATABASE_URL"].replace(
            "postgresql://", "postgresql+psycopg://", 1),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    db.init_app(app)
    login_manager.init_app(app)
    slug = os.environ.get("BENCH_SLUG", "bench")
    with app.app_context():
        tenant_id = db.session.scalar(text("SELECT id FROM tenants WHERE slug = :s"), {"s": slug})
        db.session.remove()

    @app.get("/login/<int:user_id>")
    def log_in(user_id: int):
        """Bench only: the session of a user, without a password."""
        user = load_user(str(user_id))
        if user is None:
            abort(404)
        login_user(user)
        return redirect("/tiers")

    @app.get("/tiers")
    @login_required
    def tiers():
        db.session.execute(text("SELECT set_config('app.tenant_id', :t, true)"),
                           {"t": str(tenant_id)})
        # Filtered by tenant as any application would (row-level security alone, with its
        # OR, would make PostgreSQL sort every company's tiers).
        rows = db.session.scalars(select(Tiers).where(Tiers.tenant_id == tenant_id)
                                  .order_by(Tiers.sort_key, Tiers.id).limit(ROWS))
        return render_template("tiers.html", rows=rows.all())

    return app


app = create_app() if "DATABASE_URL" in os.environ else None
