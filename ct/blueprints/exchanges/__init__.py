"""The exchange pop-up form, its save rules, the exchange card and the buttons that open it.

Template globals defined here (usable in every template, fragments included):
- ``new_exchange_button(page, **prefill)``: the integrated "New exchange" button of a
  page (``page`` is one of ``BUTTON_PAGES``; prefill with ``tiers=``, ``contact=``,
  ``document=``, ``project=`` ids). Renders nothing when the tenant's settings hide it or
  the member may not write exchanges.
- ``floating_exchange_button()``: the floating button of base.html (floating mode only).
"""

from __future__ import annotations

from flask import g, render_template, url_for
from markupsafe import Markup

from ct.core.permissions import WRITE_EXCHANGES, can
from ct.exchanges.status import status_choices
from ct.models import TenantSettings
from ct.web.current import tenant_blueprint

bp = tenant_blueprint("exchanges", __name__, "/exchanges")

PREFILL_KEYS = ("tiers", "contact", "document", "project")


def _may_open_form() -> bool:
    return g.get("tenant") is not None and can(WRITE_EXCHANGES)


def new_exchange_url(**prefill) -> str:
    values = {k: v for k, v in prefill.items() if k in PREFILL_KEYS and v}
    return url_for("exchanges.new", **values)


@bp.app_template_global()
def new_exchange_button(page: str, **prefill) -> Markup:
    if not _may_open_form() or not TenantSettings.current().shows_integrated_button(page):
        return Markup("")
    return Markup(render_template("exchanges/_button.html", url=new_exchange_url(**prefill),
                                  floating=False))


@bp.app_template_global()
def floating_exchange_button() -> Markup:
    if not _may_open_form() or not TenantSettings.current().shows_floating_button:
        return Markup("")
    return Markup(render_template("exchanges/_button.html", url=new_exchange_url(),
                                  floating=True))


bp.add_app_template_global(status_choices)


@bp.app_template_global()
def new_exchange_shortcut_url() -> str | None:
    """Where the "n" shortcut opens the form when the page has no button of its own."""
    return new_exchange_url() if _may_open_form() else None


from ct.blueprints.exchanges import (  # noqa: E402,F401
    attachments,
    inline,
    mention_routes,
    plan_next,
    routes,
    undo,
)
