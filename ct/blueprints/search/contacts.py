"""Autocomplete of contacts, optionally within one third party.

Reads at most 20 rows through the sort index (short queries) or the trigram index on
the folded search text (longer ones), with the third party's name joined in the same
statement: no per-row query, whatever the size of the tenant.
"""

from flask import request
from sqlalchemy import select

from ct.blueprints.search import bp, query_text, results
from ct.core.ids import INVALID_ID, submitted_id
from ct.core.search import matching
from ct.extensions import db
from ct.models import Contact, Tiers


@bp.get("/contacts")
def contacts():
    tiers_id = submitted_id(request.args.get("tiers"))
    if tiers_id == INVALID_ID:
        return results("contacts", [])
    query = select(
        Contact.id, Contact.first_name, Contact.last_name, Contact.job_title,
        Tiers.name.label("tiers_name"),
    ).outerjoin(Tiers, Contact.tiers_id == Tiers.id)
    if tiers_id is not None:
        # Another tenant's tiers has no contact under the tenant scoping: empty result.
        query = query.where(Contact.tiers_id == tiers_id)
    rows = db.session.execute(
        matching(query, Contact.sort_key, Contact.search_text, query_text())
    ).all()
    items = []
    for row in rows:
        name = " ".join(p for p in (row.first_name, row.last_name) if p)
        detail = " · ".join(p for p in (row.job_title, row.tiers_name) if p)
        items.append((row.id, name, detail))
    return results("contacts", items)
