"""What each row of an exchanges list shows that is costly to compute fifty times:
the date in the reader's format, the translated sentences of its links and labels,
the URLs of its filter and card links.

The sentences are translated once per page with their placeholders kept as
``{date}``/``{name}`` (the msgids stay those of the templates), the card URL is built
once and completed with each id, and each row's date is formatted once (the list shows
it three times). On a page of fifty rows this is most of the rendering time.
"""

from __future__ import annotations

from urllib.parse import urlencode

from babel import dates
from flask import url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

# The characters url_for leaves unescaped in a query string (werkzeug's choice): links
# built here are the same as url_for's.
QUERY_SAFE = "!$'()*,/:;?@"
_ID_MARK = 987654321


class RowTexts:
    def __init__(self, card_endpoint: str | None):
        self.select_label = _("Select the exchange of %(date)s with %(name)s",
                              date="{date}", name="{name}")
        self.open_label = _("View the exchange of %(date)s with %(name)s",
                            date="{date}", name="{name}")
        self.only_with = _("Only the exchanges with %(name)s", name="{name}")
        self.open_text = _("View")
        # What flask_babel's format_datetime looks up on every call, looked up once.
        self._locale, self._zone = get_locale(), get_timezone()
        self._card = None
        if card_endpoint:
            head, _mark, tail = url_for(card_endpoint, exchange_id=_ID_MARK).rpartition(
                str(_ID_MARK))
            self._card = (head, tail)

    def when(self, exchange) -> str:
        """The date as ``|datetimeformat("short")`` shows it."""
        return dates.format_datetime(exchange.occurred_at, "short", tzinfo=self._zone,
                                     locale=self._locale)

    def card_url(self, exchange) -> str:
        head, tail = self._card
        return f"{head}{exchange.id}{tail}"

    def select(self, when: str, name: str) -> str:
        return self.select_label.format(date=when, name=name)

    def open(self, when: str, name: str) -> str:
        return self.open_label.format(date=when, name=name)

    def only(self, name: str) -> str:
        return self.only_with.format(name=name)


def link_maker(endpoint: str, current: dict[str, str], fixed: dict | None = None):
    """``link(**changes)``: the URL of this list with the current filters and
    ``changes`` (None removes a filter). Each endpoint's address is built once per
    page: rows hold several links each."""
    bases: dict[str, str] = {}

    def link(_endpoint: str = endpoint, **changes) -> str:
        args = {**(fixed or {}), **current, **changes}
        items = [(k, v) for k, v in args.items() if v not in (None, "")]
        if _endpoint not in bases:
            bases[_endpoint] = url_for(_endpoint)
        query = urlencode(items, safe=QUERY_SAFE)
        return f"{bases[_endpoint]}?{query}" if query else bases[_endpoint]

    return link
