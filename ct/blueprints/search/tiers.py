"""Autocomplete of tiers: the 20 best matches by name, code, email, town or phone."""

from flask import request
from sqlalchemy import select

from ct.blueprints.search import bp, query_text, results
from ct.core.search import matching
from ct.extensions import db
from ct.models import Tiers


@bp.get("/tiers")
def tiers():
    # Only the columns the listbox shows: the notes and address stay in the database.
    query = select(Tiers.id, Tiers.name, Tiers.customer_code, Tiers.town)
    if request.args.get("all") != "1":
        query = query.where(Tiers.active.is_(True))  # closed tiers only when asked for
    rows = db.session.execute(matching(query, Tiers.sort_key, Tiers.search_text, query_text()))
    return results("tiers", [
        (row.id, row.name, " · ".join(part for part in (row.customer_code, row.town) if part))
        for row in rows
    ])
