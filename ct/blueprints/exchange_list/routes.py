"""The All exchanges list and the history tabs of the tiers, contact, document and
project cards: filter → only what the member may see → one keyset page → render."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import abort, g, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import ImmutableMultiDict

from ct.blueprints.exchange_list import bp
from ct.blueprints.exchange_list.forms import HistoryFilterForm, ListFilterForm
from ct.core.ids import parse_id
from ct.core.permissions import DELETE_EXCHANGES, EXPORT, WRITE_EXCHANGES, can
from ct.exchanges import history as exchange_history
from ct.exchanges.history import count_text, history_count, history_record, record_label
from ct.exchanges.query import (
    HISTORY_KINDS,
    SORT_DATE_DESC,
    SORTS,
    apply_filters,
    history_page,
    sorted_page,
    visible_exchanges,
)
from ct.exchanges.status import STATUS_ICONS
from ct.models import TenantSettings
from ct.web.htmx import is_htmx_request, render

# What a link to another page, sort or export of the same list keeps.
FILTER_KEYS = ("tiers", "contact", "mentions", "member", "mode", "object", "status",
               "date_from", "date_to", "q", "sort")


def current_filters(keys=FILTER_KEYS) -> dict[str, str]:
    return {key: value for key in keys if (value := request.args.get(key, "").strip())}


def link_maker(endpoint: str, fixed: dict | None = None):
    """``link(**changes)``: the URL of this list with the current filters and
    ``changes`` (None removes a filter); the cursor is dropped unless given.
    ``link(other_endpoint, …)``: the same filters on another page (the export)."""
    current = current_filters()

    def link(_endpoint: str = endpoint, **changes) -> str:
        args = {**(fixed or {}), **current, **changes}
        return url_for(_endpoint, **{k: v for k, v in args.items() if v not in (None, "")})

    return link


@dataclass(frozen=True)
class RowOptions:
    """How the rows of a page look: a checkbox each (bulk actions), links that filter
    the list on their tiers and contacts, comments shortened to ``shorten`` (0: whole)."""

    selectable: bool
    filter_links: bool
    shorten: int
    texts: RowTexts
    inline_status: bool = False  # a status menu each (closing one offers to plan the next)


@dataclass(frozen=True)
class RowTexts:
    """The rows' sentences, translated once for the page; each row fills in its own
    date and names (``%(date)s``, ``%(name)s``) in the template."""

    select: str = field(default_factory=lambda: gettext(
        "Select the exchange of %(date)s with %(name)s"))
    only_with: str = field(default_factory=lambda: gettext("Only the exchanges with %(name)s"))
    view_label: str = field(default_factory=lambda: gettext(
        "View the exchange of %(date)s with %(name)s"))
    view: str = field(default_factory=lambda: gettext("View"))
    status_label: str = field(default_factory=lambda: gettext(
        "Status of the exchange of %(date)s with %(name)s"))


def row_context(form: HistoryFilterForm, link, filter_links: bool,
                selectable: bool = False, inline_status: bool = False) -> dict:
    """What the rows need: ``row(x)`` renders one (its tiers and contacts link to the
    list filtered on them when ``filter_links``, with a checkbox when ``selectable``)."""
    settings = TenantSettings.current()
    return {
        "link": link,
        "rows": RowOptions(selectable, filter_links,
                           settings.shorten_length if settings.shorten_descriptions else 0,
                           RowTexts(), inline_status),
        "status_labels": form.status_names,
        "status_icons": STATUS_ICONS,
    }


def chosen_sort() -> str:
    sort = request.args.get("sort")
    return sort if sort in SORTS else SORT_DATE_DESC


@bp.get("/", strict_slashes=False)  # /exchanges was the menu's address before the list
def index():
    form = ListFilterForm(request.args)
    sort = chosen_sort()
    page = None
    if form.validate():
        query = apply_filters(visible_exchanges(g.membership), form.filters())
        page = sorted_page(query, sort, request.args.get("cursor"))
    may_delete, may_write = can(DELETE_EXCHANGES), can(WRITE_EXCHANGES)
    return render(
        "exchange_list/index.html",
        block="results",
        status=200 if page is not None else 422,
        form=form,
        page=page,
        sort=sort,
        back=urlencode(current_filters()),
        filtered=bool(current_filters(tuple(k for k in FILTER_KEYS if k != "sort"))),
        may_export=can(EXPORT),
        may_delete=may_delete,
        may_write=may_write,
        **row_context(form, link_maker("exchange_list.index"), filter_links=True,
                      selectable=may_delete or may_write, inline_status=may_write),
    )


def history_target() -> tuple[str, object]:
    """The one record named in the query string (tiers=, contact=, document= or
    project=); 404 when none, several, malformed or another tenant's."""
    named = [kind for kind in HISTORY_KINDS if kind in request.args]
    if len(named) != 1:
        abort(404)
    kind = named[0]
    record_id = parse_id(request.args.get(kind))
    record = history_record(kind, record_id) if record_id is not None else None
    if record is None:
        abort(404)
    return kind, record


@bp.get("/history")
def history():
    kind, record = history_target()
    context = history_context(kind, record, request.args)
    return render("exchange_list/history.html", block="history",
                  status=200 if context["page"] is not None else 422,
                  htmx=is_htmx_request(), **context)


NO_FILTERS = ImmutableMultiDict()  # a card shows its history unfiltered, first page


def history_context(kind: str, record, args) -> dict:
    """What the exchange history of ``record`` needs (``_history.html``), filtered and
    paged by ``args``: on its own page, as a fragment, or inside the record's card."""
    form = HistoryFilterForm(args)
    page = None
    if form.validate():
        query = apply_filters(visible_exchanges(g.membership), form.filters())
        page = history_page(query, kind, record.id, args.get("cursor"))
    count = history_count(kind, record.id)
    return dict(
        kind=kind,
        record=record,
        label=record_label(kind, record),
        count=count,
        count_text=count_text(count),
        count_cap=exchange_history.COUNT_CAP,
        form=form,
        page=page,
        refresh_url=url_for("exchange_list.history", **{kind: record.id}),
        **row_context(form, link_maker("exchange_list.history", {kind: record.id}),
                      filter_links=False),
    )
