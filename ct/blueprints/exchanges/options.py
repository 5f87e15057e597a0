"""What the exchange form offers to choose from, read once per rendering.

The contacts of a third party are listed as checkboxes up to the tenant's
``large_contacts_threshold``; above it the form shows a search input instead and lists
only the contacts already chosen, so a tiers with thousands of contacts never renders
them all. Projects likewise (``ct.web.lookups.project_choices``): past ``OPTIONS_MAX`` open
projects each select lists only its chosen project, with a search box beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_date
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ct.blueprints.exchanges.fields import active_members
from ct.extensions import db
from ct.models import Choice, Contact, Document, Group, Product, Tiers
from ct.models.choices import KIND_MODE, KIND_OBJECT
from ct.web.lookups import Options, project_choices


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
