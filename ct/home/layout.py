"""Which home page widgets a member shows, in which order, and whether they put the
first steps checklist away. Stored on their membership (one JSON value, read with the
membership every request anyway): ``{"order": [...], "hidden": [...],
"checklist_dismissed": bool}``. No value means the default: every widget, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ct.models import Membership

LATEST = "latest_exchanges"
NEXT = "next_contacts"
PAST = "past_events"
MENTIONS = "mentions"
TEAM = "team"
# In their default order.
WIDGETS = {
    LATEST: _l("Latest exchanges"),
    NEXT: _l("Next contacts to make"),
    PAST: _l("Recent past events"),
    TEAM: _l("Your team"),
    MENTIONS: _l("Mentions"),
}


@dataclass
class Layout:
    order: list[str]  # every widget, in the member's order
    hidden: set[str]
    checklist_dismissed: bool = False

    @property
    def shown(self) -> list[str]:
        return [name for name in self.order if name not in self.hidden]

    def as_json(self) -> dict:
        return {"order": list(self.order), "hidden": sorted(self.hidden),
                "checklist_dismissed": self.checklist_dismissed}


def layout_of(membership: Membership) -> Layout:
    """The member's layout; names no longer known are dropped, widgets added since
    they saved theirs come last and shown."""
    saved = membership.home_layout if isinstance(membership.home_layout, dict) else {}
    order = [name for name in saved.get("order") or [] if name in WIDGETS]
    order = list(dict.fromkeys(order)) + [name for name in WIDGETS if name not in order]
    hidden = {name for name in saved.get("hidden") or [] if name in WIDGETS}
    return Layout(order, hidden, bool(saved.get("checklist_dismissed")))


def save_layout(membership: Membership, layout: Layout) -> None:
    # A new dict: the JSON column sees a new value (in-place changes go unnoticed).
    membership.home_layout = layout.as_json()
