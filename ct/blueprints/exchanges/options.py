"""What the exchange form offers to choose from, read once per rendering.

The contacts of a third party are listed as checkboxes up to the tenant's
``large_contacts_threshold``; above it the form shows a search input instead and lists
only the contacts already chosen, so a tiers with thousands of contacts never renders
them all. Projects likewise: up to ``FEW_PROJECTS`` open projects are listed in the
selects; past it each select lists only its chosen project and a search box beside it
asks ``project_options`` for the matching ones (``ct.lookups.matching_projects``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_date
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from ct.blueprints.exchanges.fields import active_members
from ct.extensions import db
from ct.models import Choice, Contact, Document, Group, Product, Project, Tiers
from ct.models.choices import KIND_MODE, KIND_OBJECT
from ct.models.project import PROJECT_OPEN, project_label

FEW_PROJECTS = 100


@dataclass
class TiersChoices:
    """The contacts and documents of the chosen third party."""

    tiers: Tiers | None = None
    contacts: list[Contact] = field(default_factory=list)
    contact_count: int = 0
    large: bool = False
    documents: list[Document] = field(default_factory=list)

    @property
    def document_options(self) -> list[tuple[int, str]]:
        return [(d.id, f"{d.kind.display} {d.reference} — {format_date(d.date)}")
                for d in self.documents]


def tiers_choices(tiers: Tiers | None, settings, selected_contact_ids=()) -> TiersChoices:
    if tiers is None:
        return TiersChoices()
    threshold = settings.large_contacts_threshold
    query = select(Contact).where(Contact.tiers_id == tiers.id).order_by(Contact.sort_key)
    # Up to one past the threshold: the usual small tiers costs one query, not a count too.
    contacts = list(db.session.scalars(query.limit(threshold + 1)))
    count, large = len(contacts), len(contacts) > threshold
    if large:
        count = db.session.scalar(
            select(func.count(Contact.id)).where(Contact.tiers_id == tiers.id)) or 0
        ids = list(selected_contact_ids) or [0]
        contacts = list(db.session.scalars(query.where(Contact.id.in_(ids))))
    documents = list(db.session.scalars(
        select(Document).options(joinedload(Document.kind)).where(Document.tiers_id == tiers.id)
        .order_by(Document.date.desc(), Document.id.desc())))
    return TiersChoices(tiers, contacts, count, large, documents)


Options = list[tuple[int, str]]


@dataclass
class FormChoices:
    """The tenant lists of the form as (id, label) options, labels in the reader's language."""

    members: Options
    modes: Options
    objects: Options
    products: Options
    projects: Options
    groups: Options
    many_projects: bool = False


def project_choices(keep_ids=()) -> tuple[Options, bool]:
    """The open projects (and the kept ones, even closed) and whether there are too many
    to list, in one statement: the kept ones first, then up to FEW_PROJECTS + 1 others."""
    kept = {i for i in keep_ids if i}
    is_kept = Project.id.in_(kept or [0])
    # Columns, not objects: a company may have a thousand open projects.
    rows = db.session.execute(
        select(Project.id, Project.reference, Project.title, Project.status)
        .where(or_(Project.status == PROJECT_OPEN, is_kept))
        .order_by(case((is_kept, 0), else_=1), Project.reference)
        .limit(len(kept) + FEW_PROJECTS + 1)).all()
    many = len([r for r in rows if r.status == PROJECT_OPEN]) > FEW_PROJECTS
    if many:
        rows = [r for r in rows if r.id in kept]
    rows.sort(key=lambda r: r.reference)
    return [(r.id, project_label(r.reference, r.title)) for r in rows], many


def form_choices(settings, keep_project_ids=()) -> FormChoices:
    products = []
    if settings.product_ids:
        products = db.session.scalars(
            select(Product).where(Product.id.in_(settings.product_ids),
                                  Product.active.is_(True)).order_by(Product.label))
    projects, many_projects = project_choices(keep_project_ids)
    return FormChoices(
        members=[(m.id, m.user.display_name) for m in active_members().values()],
        modes=[(c.id, c.display) for c in Choice.active_of(KIND_MODE)],
        objects=[(c.id, c.display) for c in Choice.active_of(KIND_OBJECT)],
        products=[(p.id, f"{p.reference} — {p.label}") for p in products],
        projects=projects,
        groups=[(grp.id, grp.name)
                for grp in db.session.scalars(select(Group).order_by(Group.name))],
        many_projects=many_projects,
    )
