"""Autocomplete of the documents of one third party (the exchange form's picker).

Documents are always looked for within one third party, so the (tenant, tiers, date)
index bounds the rows read; the text narrows them on reference and description.
"""

from flask import request
from flask_babel import format_date, format_decimal, get_locale
from sqlalchemy import or_, select

from ct.blueprints.search import bp, query_text, results
from ct.core.ids import parse_id
from ct.core.search import LIMIT
from ct.core.text import like_escaped
from ct.extensions import db
from ct.models import Choice, Document


def _contains(text: str) -> str:
    escaped = like_escaped(text)
    return f"%{escaped}%"


@bp.get("/documents")
def documents():
    tiers_id = parse_id(request.args.get("tiers"))
    if tiers_id is None:
        return results("documents", [])
    query = (
        select(Document.id, Document.reference, Document.date, Document.amount,
               Choice.label, Choice.label_en)
        .join(Choice, Document.kind_id == Choice.id)
        # Another tenant's tiers has no document under the tenant scoping: empty result.
        .where(Document.tiers_id == tiers_id)
    )
    q = " ".join(query_text().split())
    if q:
        pattern = _contains(q)
        query = query.where(or_(Document.reference.ilike(pattern, escape="\\"),
                                Document.description.ilike(pattern, escape="\\")))
    rows = db.session.execute(
        query.order_by(Document.date.desc(), Document.id.desc()).limit(LIMIT)
    ).all()
    english = str(get_locale()) == "en"
    items = []
    for row in rows:
        kind = row.label_en if english and row.label_en else row.label
        parts = [kind, format_date(row.date)]
        if row.amount is not None:
            parts.append(format_decimal(row.amount, format="#,##0.00"))
        items.append((row.id, row.reference, " · ".join(parts)))
    return results("documents", items)
