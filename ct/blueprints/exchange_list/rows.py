"""The rows of the exchanges list and the history tabs, built in Python.

A page shows fifty rows of nine cells with up to five links each. Written as a Jinja
macro, with babel looking up the date format and ``url_for`` building each link, a row
cost 80 µs, half the page. Here everything a row repeats is prepared once per page:

- the sentences of its labels, translated with their placeholders kept as
  ``{date}``/``{name}`` (the msgids stay those the templates used);
- the date format, compiled (``ShortDateTime``);
- the URLs of the filter and card links, built and escaped once with a marker id
  and completed with each row's id (ids are digits: nothing to escape).

Every value goes through ``markupsafe.escape``, as the template's autoescape did.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from babel import Locale
from flask import current_app, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

# The characters url_for leaves unescaped in a query string (werkzeug's choice): links
# built here are the same as url_for's.
QUERY_SAFE = "!$'()*,/:;?@"
_ID_MARK = 987654321


class ShortDateTime:
    """``|datetimeformat("short")`` for many values: babel's ``format_datetime`` looks
    up and parses the locale's patterns on every call (16 µs), this once (7 µs)."""

    def __init__(self, locale: Locale, zone):
        self.locale, self.zone = locale, zone
        self.glue = str(locale.datetime_formats["short"]).replace("'", "")
        self.date, self.time = locale.date_formats["short"], locale.time_formats["short"]

    def __call__(self, value: datetime) -> str:
        local = value.astimezone(self.zone)  # aware: see models.base.UTCDateTime
        return (self.glue.replace("{0}", self.time.apply(local, self.locale))
                .replace("{1}", self.date.apply(local, self.locale)))


def id_href(make_url):
    """``href(id)``: ``make_url(id)`` escaped for an attribute, built once with a
    marker id and completed with each id (unless the marker's digits happen to appear
    elsewhere in the URL, a filter's text say: then each URL is built in full)."""
    mark = str(_ID_MARK)
    marked = escape(make_url(_ID_MARK))
    if marked.count(mark) != 1:
        return lambda record_id: escape(make_url(record_id))
    head, _mark, tail = marked.partition(mark)
    return lambda record_id: f"{head}{record_id}{tail}"


class ExchangeRows:
    """``row(x)``: the <tr> of the ExchangeRow ``x`` (ct/exchange_rows.py). Its tiers
    and contacts link to the list filtered on them when ``filter_links``; it starts with
    a checkbox when ``selectable``; it ends with a link to the card when the
    ``card_endpoint`` exists."""

    def __init__(self, link, settings, status_labels: dict[str, str],
                 status_icons: dict[str, str], card_endpoint: str | None,
                 filter_links: bool, selectable: bool = False):
        self.select_label = _("Select the exchange of %(date)s with %(name)s",
                              date="{date}", name="{name}")
        self.open_label = _("View the exchange of %(date)s with %(name)s",
                            date="{date}", name="{name}")
        self.only_with = _("Only the exchanges with %(name)s", name="{name}")
        self.open_text = escape(_("View"))
        self.when = ShortDateTime(get_locale(), get_timezone())
        self.card_href = card_endpoint and id_href(
            lambda i: url_for(card_endpoint, exchange_id=i))
        self.tiers_href = id_href(lambda i: link(tiers=i, cursor=None))
        self.contact_href = id_href(lambda i: link(contact=i, cursor=None))
        # 0: comments are shown whole.
        self.shorten = settings.shorten_length if settings.shorten_descriptions else 0
        self.status_labels, self.status_icons = status_labels, status_icons
        self.filter_links, self.selectable = filter_links, selectable

    def __call__(self, x) -> Markup:
        when = self.when(x.occurred_at)
        cells = []
        if self.selectable:
            label = escape(self.select_label.format(date=when, name=x.tiers_name))
            cells.append(f'<td><input type="checkbox" name="ids" value="{x.id}" '
                         f'aria-label="{label}"></td>')
        cells.append(f'<td><time datetime="{x.occurred_at.isoformat()}">{escape(when)}</time></td>'
                     f"<td>{self._tiers(x)}</td><td>{self._contacts(x)}</td>"
                     f"<td>{escape(x.mode)}</td><td>{escape(x.object)}</td>"
                     f"<td>{self._status(x.status)}</td><td>{escape(x.made_by)}</td>"
                     f"<td>{self._comment(x.comment)}</td>")
        if self.card_href:
            label = escape(self.open_label.format(date=when, name=x.tiers_name))
            cells.append(f'<td><a href="{self.card_href(x.id)}" aria-label="{label}">'
                         f"{self.open_text}</a></td>")
        return Markup(f"<tr>{''.join(cells)}</tr>")

    def _tiers(self, x) -> str:
        name = escape(x.tiers_name)
        if not self.filter_links:
            return name
        title = escape(self.only_with.format(name=x.tiers_name))
        return f'<a href="{self.tiers_href(x.tiers_id)}" title="{title}">{name}</a>'

    def _contacts(self, x) -> str:
        if not self.filter_links:
            return ", ".join(escape(c.full_name) for c in x.contacts)
        return ", ".join(f'<a href="{self.contact_href(c.id)}">{escape(c.full_name)}</a>'
                         for c in x.contacts)

    def _status(self, status: str) -> str:
        # An icon beside the words, never a colour alone.
        return (f'<span class="status-badge status-{escape(status)}"><span aria-hidden="true">'
                f"{escape(self.status_icons.get(status, ''))}</span> "
                f"{escape(self.status_labels.get(status, status))}</span>")

    def _comment(self, comment: str | None) -> str:
        """Shortened when the tenant asks for it, the whole text one click away; the
        confidential comment is never part of a list (card only)."""
        if not comment:
            return ""
        if self.shorten and len(comment) > self.shorten:
            short = do_truncate(current_app.jinja_env, comment, self.shorten, False, "…", 0)
            return (f'<details class="comment"><summary>{escape(short)}</summary>'
                    f'<p class="comment-text">{escape(comment)}</p></details>')
        return f'<span class="comment-text">{escape(comment)}</span>'


def link_maker(endpoint: str, current: dict[str, str], fixed: dict | None = None):
    """``link(**changes)``: the URL of this list with the current filters and
    ``changes`` (None removes a filter). Each endpoint's address is built once per
    page."""
    bases: dict[str, str] = {}

    def link(_endpoint: str = endpoint, **changes) -> str:
        args = {**(fixed or {}), **current, **changes}
        items = [(k, v) for k, v in args.items() if v not in (None, "")]
        if _endpoint not in bases:
            bases[_endpoint] = url_for(_endpoint)
        query = urlencode(items, safe=QUERY_SAFE)
        return f"{bases[_endpoint]}?{query}" if query else bases[_endpoint]

    return link
