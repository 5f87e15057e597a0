"""Finding rows of the bound tenant, and the options record forms offer in their selects.

Options are a bounded subset (the chosen rows, then the first ones by name or the best
matches of a search box), so a tenant with 100,000 third parties gets a short select.
"""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ct.extensions import db
from ct.fields import ID_MAX
from ct.models import Contact, Membership, Project, Tiers
from ct.models.project import PROJECT_OPEN
from ct.search import LIMIT, matching
from ct.text import fold

# A <select> stays usable with this many options; beyond, the search box narrows it.
OPTIONS_MAX = 100
NONE_CHOICE = SelectChoice("", _l("— None —"))


def get_or_404(model, record_id: int):
    """The row of the bound tenant with this id; another tenant's id is a 404 too."""
    if record_id > ID_MAX:
        abort(404)
    row = db.session.scalar(select(model).where(model.id == record_id))
    if row is None:
        abort(404)
    return row


def find(model, record_id: int | None):
    """The row of the bound tenant with this id, or None (for form checks)."""
    if not record_id:
        return None
    return db.session.scalar(select(model).where(model.id == record_id))


def tiers_choices(selected_id: int | None, q: str = "") -> list[SelectChoice]:
    """The chosen third party first, then the first ones by name (or the best matches)."""
    query = matching(select(Tiers).where(Tiers.active.is_(True)), Tiers.sort_key,
                     Tiers.search_text, q, limit=OPTIONS_MAX)
    rows = list(db.session.scalars(query))
    selected = find(Tiers, selected_id)
    if selected is not None and selected not in rows:
        rows.insert(0, selected)
    return [NONE_CHOICE] + [SelectChoice(t.id, t.name) for t in rows]


def project_choices(selected_id: int | None) -> list[SelectChoice]:
    """Open projects by reference, and the chosen one even when closed."""
    rows = list(db.session.scalars(
        select(Project).where(Project.status == PROJECT_OPEN)
        .order_by(Project.reference, Project.id).limit(OPTIONS_MAX)
    ))
    selected = find(Project, selected_id)
    if selected is not None and selected not in rows:
        rows.insert(0, selected)
    return [NONE_CHOICE] + [SelectChoice(p.id, p.label) for p in rows]


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
