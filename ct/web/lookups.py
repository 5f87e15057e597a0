"""Finding rows of the bound tenant, and the options record forms offer in their selects.

Options are a bounded subset (the chosen rows, then the first ones by name or the best
matches of a search box), so a tenant with 100,000 third parties gets a short select.
"""

from __future__ import annotations

from flask import abort, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, or_, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ct.core.ids import ID_MAX, parse_id
from ct.core.search import LIMIT, MAX_QUERY, matching
from ct.core.tenancy import find
from ct.core.text import fold
from ct.extensions import db
from ct.models import Contact, Membership, Project, Tiers
from ct.models.project import PROJECT_OPEN, project_label

# A <select> stays usable with this many options; beyond, the search box narrows it.
OPTIONS_MAX = 100
NONE_CHOICE = SelectChoice("", _l("— None —"))


def get_or_404(model, record_id: int, *options):
    """The row of the bound tenant with this id (loaded with ``options``); another
    tenant's id is a 404 too."""
    if record_id > ID_MAX:
        abort(404)
    row = db.session.scalar(select(model).where(model.id == record_id).options(*options))
    if row is None:
        abort(404)
    return row


def id_from_query_or_404(name: str) -> int | None:
    """The id in the query string (``?tiers=12``), None when there is none; a value that
    is not an id is a 404."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    record_id = parse_id(raw)
    if record_id is None:
        abort(404)
    return record_id


def from_query_or_404(model, name: str):
    """The record named in the query string, None when it names none; an id that is not
    one, or of no record of the bound tenant, is a 404."""
    record_id = id_from_query_or_404(name)
    return None if record_id is None else get_or_404(model, record_id)


def tiers_choices(selected_id: int | None, q: str = "") -> list[SelectChoice]:
    """The chosen third party first, then the first ones by name (or the best matches)."""
    query = matching(select(Tiers).where(Tiers.active.is_(True)), Tiers.sort_key,
                     Tiers.search_text, q, limit=OPTIONS_MAX)
    rows = list(db.session.scalars(query))
    selected = find(Tiers, selected_id)
    if selected is not None and selected not in rows:
        rows.insert(0, selected)
    return [NONE_CHOICE] + [SelectChoice(t.id, t.name) for t in rows]


Options = list[tuple[int, str]]


def project_choices(keep_ids=()) -> tuple[Options, bool]:
    """The options of a project select and whether there are too many open projects to
    list them all. Up to OPTIONS_MAX: every open project (and the kept ones, even closed)
    by reference; past it only the kept ones, and a search box beside the select asks
    ``project_search_options`` for the others. One statement: the kept ones first, then
    up to OPTIONS_MAX + 1 others."""
    kept = {i for i in keep_ids if i}
    is_kept = Project.id.in_(kept or [0])
    # Columns, not objects: a company may have a thousand open projects.
    rows = db.session.execute(
        select(Project.id, Project.reference, Project.title, Project.status)
        .where(or_(Project.status == PROJECT_OPEN, is_kept))
        .order_by(case((is_kept, 0), else_=1), Project.reference)
        .limit(len(kept) + OPTIONS_MAX + 1)).all()
    many = len([r for r in rows if r.status == PROJECT_OPEN]) > OPTIONS_MAX
    if many:
        rows = [r for r in rows if r.id in kept]
    rows.sort(key=lambda r: r.reference)
    return [(r.id, project_label(r.reference, r.title)) for r in rows], many


def project_search_options(q: str, selected_id: int | None) -> tuple[Options, int | None]:
    """What a project search box puts in its select: the matching open projects, and the
    chosen one (of this tenant, even closed) kept on top; with the id to keep selected."""
    options = [(row.id, project_label(row.reference, row.title))
               for row in matching_projects(q.strip()[:MAX_QUERY])]
    chosen = find(Project, selected_id)
    if chosen is None:
        return options, None
    if all(option_id != chosen.id for option_id, _label in options):
        options.insert(0, (chosen.id, chosen.label))
    return options, chosen.id


def matching_projects(q: str, *conditions, limit: int = LIMIT) -> list:
    """The open projects (meeting ``conditions``) whose reference or title contains
    ``q``, accents and case ignored: those whose reference starts with it first, then in
    reference order; at most ``limit`` rows of (id, reference, title, tiers_id).

    Open projects number in the hundreds, not millions: their short columns are read
    and matched here, which folds accents alike on every database."""
    folded = fold(q)
    rows = db.session.execute(
        select(Project.id, Project.reference, Project.title, Project.tiers_id)
        .where(Project.status == PROJECT_OPEN, *conditions)
        .order_by(Project.reference, Project.id)).all()
    found = [row for row in rows if folded in fold(f"{row.reference} {row.title}")]
    found.sort(key=lambda row: not fold(row.reference).startswith(folded))  # stable
    return found[:limit]


def member_choices() -> list[SelectChoice]:
    return [NONE_CHOICE] + [SelectChoice(m.id, m.user.display_name)
                          for m in Membership.all_active()]


def contact_label(contact: Contact) -> str:
    name = contact.full_name or "?"
    return f"{name} ({contact.tiers.name})" if contact.tiers is not None else name


def contact_choices(selected_ids: list[int], tiers_id: int | None,
                    q: str = "") -> list[SelectChoice]:
    """The chosen contacts first, then the third party's contacts (or everyone's when no
    third party is chosen), narrowed by ``q``."""
    query = select(Contact).options(selectinload(Contact.tiers))
    if tiers_id:
        query = query.where(Contact.tiers_id == tiers_id)
    rows = list(db.session.scalars(
        matching(query, Contact.sort_key, Contact.search_text, q, limit=OPTIONS_MAX)))
    ids = [i for i in selected_ids if i]
    chosen = list(db.session.scalars(
        select(Contact).where(Contact.id.in_(ids)).options(selectinload(Contact.tiers))
    )) if ids else []
    rows = chosen + [c for c in rows if c not in chosen]
    return [SelectChoice(c.id, contact_label(c)) for c in rows]
