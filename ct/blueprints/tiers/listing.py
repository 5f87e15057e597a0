"""The list of third parties: filters read from the URL, one keyset page of results.

The filters live in the query string so a filtered list can be bookmarked, shared and
restored by the browser's back button; the same URL serves the page and its results.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ct.core.ids import submitted_id
from ct.core.pagination import Page, cursor_clause, keyset_page
from ct.core.search import MAX_QUERY
from ct.core.text import fold, like_pattern, prefix_pattern
from ct.extensions import db
from ct.models import Tiers
from ct.models.tiers import KINDS, coalesced

PER_PAGE = 25
STATUSES = ("active", "closed", "all")
DIRECTIONS = ("asc", "desc")


def _sort_columns() -> dict:
    """Sortable columns; nullable ones are coalesced so keyset comparisons never meet NULL."""
    return {
        "name": Tiers.sort_key,
        "code": coalesced(Tiers.customer_code),
        "town": coalesced(Tiers.town),
        "created": Tiers.created_at,
    }


SORTS = ("name", "code", "town", "created")


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    kind: str = ""
    rep: int | None = None
    status: str = "active"
    sort: str = "name"
    dir: str = "asc"
    after: str | None = None

    @classmethod
    def from_args(cls, args, member_ids: set[int]) -> ListFilters:
        """Read the query string; anything unknown falls back to the default, never an error."""
        rep = submitted_id(args.get("rep"))
        return cls(
            q=args.get("q", "").strip()[:MAX_QUERY],
            kind=_one_of(args.get("kind"), KINDS, ""),
            rep=rep if rep in member_ids else None,
            status=_one_of(args.get("status"), STATUSES, "active"),
            sort=_one_of(args.get("sort"), SORTS, "name"),
            dir=_one_of(args.get("dir"), DIRECTIONS, "asc"),
            after=args.get("after") or None,
        )

    @property
    def is_narrowed(self) -> bool:
        """Whether the filters hide some tiers (for the empty state's wording)."""
        return bool(self.q or self.kind or self.rep) or self.status != "active"

    def args(self, **changes) -> dict:
        """Query-string arguments for a link, defaults left out to keep URLs short.
        Any change other than the cursor starts again from the first page."""
        if "after" not in changes:
            changes["after"] = None
        state = replace(self, **changes)
        defaults = ListFilters()
        return {
            name: getattr(state, name)
            for name in ("q", "kind", "rep", "status", "sort", "dir", "after")
            if getattr(state, name) not in (getattr(defaults, name), None, "")
        }

    def sort_args(self, column: str) -> dict:
        """Link of a column header: sort by it, or flip the direction if already sorted by it."""
        flipped = "desc" if self.sort == column and self.dir == "asc" else "asc"
        return self.args(sort=column, dir=flipped)


def _one_of(value, allowed, default):
    return value if value in allowed else default


def text_condition(q: str):
    """The same matching rule as search as you type (ct.core.search.matching), without its
    ranking and limit: 1–2 characters match the start of the name, more match anywhere
    in the folded name, code, email, town and phone."""
    folded = fold(q)[:MAX_QUERY]
    if not folded:
        return None
    if len(folded) < 3:
        return Tiers.sort_key.like(prefix_pattern(folded), escape="\\")
    return Tiers.search_text.like(like_pattern(folded), escape="\\")


def tiers_page(filters: ListFilters, per_page: int = PER_PAGE) -> Page:
    # The sales rep and its user come in the same query: no query per row.
    query = select(Tiers).options(joinedload(Tiers.sales_rep))
    condition = text_condition(filters.q)
    if condition is not None:
        query = query.where(condition)
    if filters.kind:
        query = query.where(getattr(Tiers, f"is_{filters.kind}").is_(True))
    if filters.rep is not None:
        query = query.where(Tiers.sales_rep_id == filters.rep)
    if filters.status != "all":
        query = query.where(Tiers.active.is_(filters.status == "active"))
    order = [_sort_columns()[filters.sort], Tiers.id]
    return keyset_page(query, order, filters.after, per_page=per_page,
                       descending=filters.dir == "desc")


def cursor_is_valid(filters: ListFilters) -> bool:
    """Whether ``filters.after`` is a cursor of this sort (the page starts again from
    the first row when it is not; the API says so instead: a client would loop)."""
    order = [_sort_columns()[filters.sort], Tiers.id]
    return not filters.after or cursor_clause(order, filters.after) is not None


def tenant_has_tiers() -> bool:
    return db.session.scalar(select(Tiers.id).limit(1)) is not None
