"""Search as you type: the same matching and ranking for every kind of record.

Short queries (1–2 characters) match the start of the folded name through the
ordinary sort index; longer ones match anywhere in the folded search text through
the trigram index on PostgreSQL. Results that start with the query come first.
"""

from __future__ import annotations

from sqlalchemy import Select, case

from ct.text import fold, like_pattern, prefix_pattern

LIMIT = 20
MAX_QUERY = 100


def matching(query: Select, sort_key, search_text, q: str, limit: int = LIMIT) -> Select:
    """``query`` narrowed to rows matching ``q``, best first, at most ``limit`` rows."""
    folded = fold(q)[:MAX_QUERY]
    if not folded:
        return query.order_by(sort_key).limit(limit)
    starts = sort_key.like(prefix_pattern(folded), escape="\\")
    if len(folded) < 3:
        return query.where(starts).order_by(sort_key).limit(limit)
    anywhere = search_text.like(like_pattern(folded), escape="\\")
    return (
        query.where(anywhere)
        .order_by(case((starts, 0), else_=1), sort_key)
        .limit(limit)
    )
