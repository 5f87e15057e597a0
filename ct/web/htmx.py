"""One URL serves the full page and its fragments; helpers for HX-* response headers."""

from __future__ import annotations

import json

from flask import current_app, make_response, render_template, request


def is_htmx_request() -> bool:
    """An htmx request that wants a fragment (a history restore wants the full page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_block(template_name: str, block_name: str, **context) -> str:
    """Render one named block of a template, with the same context as the full page."""
    app = current_app._get_current_object()
    app.update_template_context(context)
    template = app.jinja_env.get_template(template_name)
    return "".join(template.blocks[block_name](template.new_context(context)))


def render(template_name: str, block: str | None = None, status: int = 200, **context):
    """The full page, or only ``block`` when htmx asks for a fragment."""
    if block and is_htmx_request():
        body = render_block(template_name, block, **context)
    else:
        body = render_template(template_name, **context)
    return make_response(body, status)


def trigger(response, *events: str, **events_with_detail):
    """Fire client-side events after the swap (listened to with ``from:body``)."""
    payload = {name: True for name in events} | events_with_detail
    response.headers["HX-Trigger"] = json.dumps(payload)
    return response


def location(response, url: str):
    """Navigate without a full reload (htmx) — plain browsers get a 303 instead."""
    response.headers["HX-Location"] = url
    return response


def redirect_to(url: str):
    """A redirect that works for both htmx and plain form posts."""
    if is_htmx_request():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return make_response("", 303, {"Location": url})


def add_vary_header(response):
    response.vary.add("HX-Request")
    return response
