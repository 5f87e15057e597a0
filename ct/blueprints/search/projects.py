"""Autocomplete of open projects, for the exchange form: reference or title, 20 best.

Projects are few per tenant (hundreds, not hundreds of thousands), so a
case-insensitive match on reference and title is enough; references that start with
the query come first.
"""

from flask import request
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from ct.blueprints.search import bp, query_text, results
from ct.extensions import db
from ct.fields import INVALID_ID, parse_id
from ct.models import Project
from ct.models.project import PROJECT_OPEN
from ct.search import LIMIT


def _escaped(q: str) -> str:
    return q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@bp.get("/projects")
def projects():
    q = query_text().strip()
    query = (select(Project).where(Project.status == PROJECT_OPEN)
             .options(selectinload(Project.tiers)))
    tiers_id = parse_id(request.args.get("tiers"))
    if tiers_id == INVALID_ID:
        return results("projects", [])
    if tiers_id is not None:
        query = query.where(Project.tiers_id == tiers_id)
    if q:
        anywhere, starts = f"%{_escaped(q)}%", f"{_escaped(q)}%"
        reference = func.lower(Project.reference)
        query = query.where(or_(reference.like(anywhere, escape="\\"),
                                func.lower(Project.title).like(anywhere, escape="\\")))
        query = query.order_by(case((reference.like(starts, escape="\\"), 0), else_=1))
    rows = db.session.scalars(query.order_by(Project.reference, Project.id).limit(LIMIT))
    return results("projects", [
        (p.id, f"{p.reference} — {p.title}", p.tiers.name if p.tiers else "") for p in rows
    ])
