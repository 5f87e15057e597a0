"""Search as you type: the same matching and ranking for every kind of record.

Names that start with the query come first, in name order, read by walking the sort
index from the query's prefix (the folded sort key has a byte-wise collation on
PostgreSQL): 20 rows read for 20 shown, however many names match. Only when fewer
than 20 names start with the query (and it has 3 characters or more) are the rows
that contain it anywhere added, found through the trigram index on PostgreSQL and
taken as they come (at most 20, then put in name order): ranking all of them would
sort thousands of rows for a three-letter prefix such as "mar".
"""

from __future__ import annotations

from sqlalchemy import Select, case, func, select, union_all

from ct.core.text import fold, like_pattern, prefix_pattern

LIMIT = 20
MAX_QUERY = 100
MIN_ANYWHERE = 3  # shorter queries match the start of the name only


def matching(query: Select, sort_key, search_text, q: str, limit: int = LIMIT) -> Select:
    """``query`` narrowed to rows matching ``q``, best first, at most ``limit`` rows.

    One statement: the ids of the first ``limit`` prefix matches (an index walk) and,
    only when those are fewer than ``limit``, of up to ``limit`` other matches; then
    ``query`` itself on those few ids, ranked."""
    folded = fold(q)[:MAX_QUERY]
    if not folded:
        return query.order_by(sort_key).limit(limit)
    starts = sort_key.like(prefix_pattern(folded), escape="\\")
    if len(folded) < MIN_ANYWHERE:
        return query.where(starts).order_by(sort_key).limit(limit)
    key = sort_key.class_.id
    prefixed = (query.where(starts).with_only_columns(key, maintain_column_froms=True)
                .order_by(sort_key).limit(limit).subquery())
    few_prefixed = select(func.count()).select_from(prefixed).scalar_subquery() < limit
    elsewhere = (
        query.where(search_text.like(like_pattern(folded), escape="\\"), ~starts, few_prefixed)
        .with_only_columns(key, maintain_column_froms=True).limit(limit).subquery()
    )
    ids = union_all(select(prefixed.c[0]), select(elsewhere.c[0]))
    return (query.where(key.in_(ids))
            .order_by(case((starts, 0), else_=1), sort_key).limit(limit))
