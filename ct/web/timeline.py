"""The activity timeline of the tiers and contact cards, as a page or a fragment.

Both cards share it (``tiers/_timeline.html``): ``?type=`` narrows it to some kinds of
entries (repeatable; unknown values are ignored), ``?before=`` is the cursor of "Load
more". The card's own URL reads the same parameters, so both work without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, url_for
from flask_babel import gettext as _

from ct.exchanges.status import STATUS_ICONS, status_names
from ct.records.timeline import KINDS, BadCursor, Cursor, TimelinePage, parse_kinds, timeline_page
from ct.web.htmx import is_htmx_request, render


@dataclass
class TimelineView:
    record_kind: str  # "tiers" or "contact"
    record_id: int
    page_endpoint: str  # the card
    fragment_endpoint: str  # the timeline alone
    id_arg: str
    kinds: tuple[str, ...]
    page: TimelinePage
    status_labels: dict
    status_icons: dict
    all_kinds: tuple[str, ...] = KINDS

    @property
    def filtered(self) -> bool:
        return self.kinds != KINDS

    def _url(self, endpoint: str, before: str | None = None) -> str:
        return url_for(endpoint, **{self.id_arg: self.record_id},
                       type=list(self.kinds) if self.filtered else None, before=before)

    def page_url(self, before: str | None = None) -> str:
        return self._url(self.page_endpoint, before)

    def fragment_url(self, before: str | None = None) -> str:
        return self._url(self.fragment_endpoint, before)

    @property
    def filter_url(self) -> str:
        return url_for(self.fragment_endpoint, **{self.id_arg: self.record_id})


def timeline_view(record_kind: str, record_id: int, args, page_endpoint: str,
                  fragment_endpoint: str, id_arg: str, strict: bool = False) -> TimelineView:
    """The timeline ``args`` ask for. A cursor that was not ours raises BadCursor when
    ``strict`` (a "Load more" fragment: appending the first page again would repeat
    it); the card itself then simply starts at the newest entries."""
    kinds = parse_kinds(args.getlist("type"))
    try:
        cursor = Cursor.parse(args.get("before"))
    except BadCursor:
        if strict:
            raise
        cursor = None
    page = timeline_page(record_kind, record_id, g.membership, kinds, cursor)
    return TimelineView(record_kind, record_id, page_endpoint, fragment_endpoint, id_arg,
                        kinds, page, status_names(), STATUS_ICONS)


def timeline_fragment(record_kind: str, record_id: int, args, page_endpoint: str,
                      fragment_endpoint: str, id_arg: str):
    """The timeline alone (after a filter, a save) or, with ``before``, the entries that
    follow for "Load more" (without JavaScript, the links lead to the card itself)."""
    try:
        view = timeline_view(record_kind, record_id, args, page_endpoint, fragment_endpoint,
                             id_arg, strict=True)
    except BadCursor:
        response = render("errors/error.html", block="message", status=400, code=400,
                          title=_("Bad request"),
                          message=_("This “Load more” link is not valid any more: reload "
                                    "the card to see the latest activity."))
        if is_htmx_request():
            response.headers["HX-Retarget"] = "#flashes"
            response.headers["HX-Reswap"] = "innerHTML"
        return response
    more_only = bool(args.get("before"))
    return render("tiers/_timeline.html", timeline=view, more_only=more_only)
