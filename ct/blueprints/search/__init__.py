"""Autocomplete endpoints (20 best matches as an HTML listbox), one module per record type.

Each endpoint answers GET ?q=… with ``search/_results.html``: a list of
``(id, label, detail)`` the exchange form and the pickers of every page can swap in.
"""

from flask import request

from ct.core.search import MAX_QUERY
from ct.web.current import tenant_blueprint
from ct.web.htmx import render

bp = tenant_blueprint("search", __name__, "/search")


def query_text() -> str:
    return (request.args.get("q") or "")[:MAX_QUERY]


def results(kind: str, items: list[tuple[int, str, str]]):
    """The listbox fragment: ``items`` are (id, label, detail) tuples."""
    return render("search/_results.html", kind=kind, items=items, q=query_text())


from ct.blueprints.search import routes  # noqa: E402,F401
