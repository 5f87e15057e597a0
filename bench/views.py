"""The page views of ``make bench``, by URL (see pageviews.py for how one is measured).

``kind``: ``key`` for the pages users open most (targets of their own), ``read`` for the
others, ``search`` for search as you type, ``reference`` for ct's own 50-row page, ``api``
for the REST API's lists (sent with a member's personal API token, not a session).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from bench.context import BenchData
from bench.http import Session
from bench.scenarios import (
    API_EXCHANGES,
    API_PAGE,
    CONTACT_PREFIXES,
    DEEP_PAGES,
    EVERYTHING_TEXTS,
    TIERS_PREFIXES,
    deep_api_page_url,
    deep_page_url,
    filtered_query,
)


@dataclass
class View:
    name: str
    documents: list[str]  # one, or several in turn (a search's typed prefixes)
    kind: str = "read"
    htmx: bool = False  # the document itself is a fragment (a tab, a search, the pop-up)

    @property
    def token(self) -> bool:
        """Sent with the member's API token instead of their session cookie."""
        return self.kind == "api"


def build_views(data: BenchData, session: Session, api: Session) -> list[View]:
    """``session`` is logged in, ``api`` carries a token: each follows its own "next"."""
    t = f"/t/{data.slug}"
    ordinary_tiers = data.tiers_with_contacts[len(data.tiers_with_contacts) // 2]
    exchanges = f"{t}/exchanges/"
    deep = deep_page_url(session, exchanges) or f"{exchanges}?cursor=unreachable"
    api_exchanges = f"{API_EXCHANGES}?{urlencode(API_PAGE)}"
    api_deep = deep_api_page_url(api, api_exchanges) or f"{api_exchanges}&cursor=unreachable"
    return [
        View("reference (ct's 50 rows)", [f"{t}/bench/reference"], "reference"),
        View("home", [f"{t}/"]),
        View("tiers list", [f"{t}/tiers/"], "key"),
        View("tiers card (ordinary)", [f"{t}/tiers/{ordinary_tiers[0]}"], "key"),
        View("tiers card (big)", [f"{t}/tiers/{data.big_tiers_id}"], "key"),
        View("big tiers: exchanges tab", [f"{t}/exchanges/history?tiers={data.big_tiers_id}"],
             htmx=True),
        View("contact card", [f"{t}/contacts/{ordinary_tiers[1][0]}"]),
        View("contacts list", [f"{t}/contacts/"]),
        View("exchanges: first page", [exchanges]),
        View("exchanges: filtered", [f"{exchanges}?{urlencode(filtered_query(data))}"]),
        View(f"exchanges: page {DEEP_PAGES + 1}", [deep]),
        View("API exchanges: first page", [api_exchanges], "api"),
        View(f"API exchanges: page {DEEP_PAGES + 1}", [api_deep], "api"),
        View("agenda list", [f"{t}/agenda/"]),
        View("agenda week", [f"{t}/agenda/week"]),
        View("agenda month", [f"{t}/agenda/month"]),
        View("my tasks", [f"{t}/projects/tasks"]),
        View("exchange pop-up", [f"{t}/exchanges/new"], htmx=True),
        View("search contacts", [f"{t}/search/contacts?{urlencode({'q': q})}"
                                 for q in CONTACT_PREFIXES], "search", htmx=True),
        View("search tiers", [f"{t}/search/tiers?{urlencode({'q': q})}"
                              for q in TIERS_PREFIXES], "search", htmx=True),
        View("search everything", [f"{t}/search/everything?{urlencode({'q': q})}"
                                   for q in EVERYTHING_TEXTS], "search", htmx=True),
    ]
