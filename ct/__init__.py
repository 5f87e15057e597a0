"""ct — log and follow every exchange with your third parties."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, g
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter, IntegerConverter

from ct import events
from ct.config import Config
from ct.core import moved_jobs
from ct.core.ids import ID_MAX, ID_PATTERN
from ct.extensions import babel, csrf, db, limiter, login_manager, mail, migrate, rq
from ct.models.tenant import SLUG_MAX
from ct.web.i18n import select_locale

moved_jobs.install()


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in a URL: a number past the database's integers is a 404 like any
    unknown id, not a 500 from the database."""

    regex = ID_PATTERN  # ASCII digits, no leading zero: "007" and "１" are no ids

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


class SlugConverter(BaseConverter):
    """``<slug:…>``: a company's slug is lower-case ASCII letters, digits and dashes; a
    path with anything else there (a NUL byte, an accent) matches no page: 404."""

    regex = rf"[a-z0-9-]{{1,{SLUG_MAX}}}"


def create_app(config: Config | type[Config] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.url_map.converters["int"] = RowIdConverter
    app.url_map.converters["slug"] = SlugConverter
    if config is None:
        config = Config
    app.config.from_object(config() if isinstance(config, type) else config)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    logging.basicConfig(level=logging.INFO)

    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)

    from ct.cli import register_cli
    from ct.web.errors import register_error_handlers

    register_error_handlers(app)
    register_cli(app)
    events.register(app)  # every listener and periodic job: ct/events.py
    return app


def _init_extensions(app: Flask) -> None:
    import ct.models  # noqa: F401 — every table known to the metadata and Alembic
    from ct.core.db_setup import configure_engine

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    rq.init_app(app)
    limiter.init_app(app)

    from ct.core.jobs import run_inline_jobs

    # Registered after Flask-SQLAlchemy: teardown functions run in reverse order, so
    # inline jobs run before the request's session is removed.
    app.teardown_appcontext(run_inline_jobs)


def _register_blueprints(app: Flask) -> None:
    from ct.blueprints import (
        account_data,
        agenda,
        api_tokens,
        audit_log,
        auth,
        calendar_feed,
        capture,
        contacts,
        documents,
        email_log,
        email_templates,
        exchange_list,
        exchanges,
        groups,
        home,
        imports,
        members,
        products,
        projects,
        search,
        settings,
        tiers,
        to_classify,
        trash,
        webhooks,
    )

    areas = (auth, home, members, groups, tiers, contacts, documents, products, projects, agenda,
             imports, search, settings, exchanges, exchange_list, email_templates, email_log,
             calendar_feed, trash, audit_log, account_data, api_tokens, webhooks, capture,
             to_classify)
    for area in areas:
        app.register_blueprint(area.bp)
    app.register_blueprint(calendar_feed.feed_bp)  # /calendar/<token>.ics, no tenant prefix
    from ct.blueprints.api import init_api

    init_api(app)  # /api/v1: REST API, its OpenAPI document and reference page
    if app.config.get("BENCH_ROUTES"):
        from ct.blueprints.bench_reference import init_bench

        init_bench(app)


def nav_counters():
    """The menu's counters of the member, counted only when a whole page renders them."""
    from ct.home.counts import counters

    return counters(g.membership)


def _register_hooks(app: Flask) -> None:
    from ct.core.permissions import can
    from ct.web.current import forget_tenant
    from ct.web.htmx import add_vary_header
    from ct.web.security import add_security_headers, refuse_nul_in_query

    app.after_request(add_vary_header)
    app.before_request(refuse_nul_in_query)
    app.after_request(add_security_headers)
    app.teardown_request(forget_tenant)

    @app.context_processor
    def inject_globals():
        # The shared macros are globals, not imported per template: a fragment rendered
        # alone (htmx) does not run the template's top-level imports.
        macros = app.jinja_env.get_template("_macros.html").module
        return {
            "field": macros.field,
            "pager": macros.pager,
            "can": can,
            "current_locale": str(get_locale()),
            "tenant": g.get("tenant"),
            "membership": g.get("membership"),
            "nav_counters": nav_counters,
        }
