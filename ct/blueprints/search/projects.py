"""Autocomplete of open projects: reference or title, accents and case ignored, 20 at
most, references that start with the query first (``ct.web.lookups.matching_projects``)."""

from flask import request
from sqlalchemy import select

from ct.blueprints.search import bp, query_text, results
from ct.core.ids import INVALID_ID, submitted_id
from ct.extensions import db
from ct.models import Project, Tiers
from ct.models.project import project_label
from ct.web.lookups import matching_projects


@bp.get("/projects")
def projects():
    tiers_id = submitted_id(request.args.get("tiers"))
    if tiers_id == INVALID_ID:
        return results("projects", [])
    conditions = [Project.tiers_id == tiers_id] if tiers_id is not None else []
    rows = matching_projects(query_text().strip(), *conditions)
    wanted = {row.tiers_id for row in rows if row.tiers_id}
    names = {row.id: row.name for row in db.session.execute(
        select(Tiers.id, Tiers.name).where(Tiers.id.in_(wanted or [0])))}
    return results("projects", [
        (row.id, project_label(row.reference, row.title), names.get(row.tiers_id, ""))
        for row in rows
    ])
