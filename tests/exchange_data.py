"""Exchanges made directly with the models, for the list, export, history and bulk tests.

``world`` gives company A two tiers with contacts, a document, a project, a member who
reads only their own exchanges, and company B one of everything (for the cross-tenant
checks). ``add`` writes one exchange and returns its id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ct.auth import accounts
from ct.core.permissions import PRESETS, ROLE_MEMBER
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import (
    Choice,
    Contact,
    Document,
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    Membership,
    Project,
    Tiers,
    User,
)
from tests.conftest import PASSWORD

BASE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
RESTRICTED_EMAIL = "rita@alpha.fr"


@dataclass
class World:
    app: object
    slug: str
    tenant_id: int
    admin_id: int
    member_id: int
    restricted_id: int
    group_id: int
    tiers: dict = field(default_factory=dict)  # name -> id
    contacts: dict = field(default_factory=dict)
    document_id: int = 0
    project_id: int = 0
    modes: dict = field(default_factory=dict)  # code -> id
    objects: dict = field(default_factory=dict)
    b_slug: str = ""
    b_tenant_id: int = 0
    b: dict = field(default_factory=dict)  # kind -> id in company B


def _records(prefix: str) -> dict:
    dupont = Tiers(name=f"{prefix}Dupont SARL")
    martin = Tiers(name=f"{prefix}Martin & Fils")
    db.session.add_all([dupont, martin])
    db.session.flush()
    jeanne = Contact(first_name="Jeanne", last_name="Dupont", tiers_id=dupont.id)
    paul = Contact(first_name="Paul", last_name="Durand", tiers_id=dupont.id)
    luc = Contact(first_name="Luc", last_name="Martin", tiers_id=martin.id)
    kind = db.session.scalar(select(Choice).where(Choice.kind == "document"))
    document = Document(kind_id=kind.id, reference="DEV-001", tiers_id=dupont.id,
                        date=BASE.date())
    project = Project(reference="PRJ-1", title="Salon 2026")
    db.session.add_all([jeanne, paul, luc, document, project])
    db.session.flush()
    return {"dupont": dupont.id, "martin": martin.id, "jeanne": jeanne.id, "paul": paul.id,
            "luc": luc.id, "document": document.id, "project": project.id}


def add(w: World, tiers_id: int, author_id: int, *, made_by_id: int | None = None,
        minutes: int = 0, contacts=(), collaborators=(), tenant_id: int | None = None,
        **fields) -> int:
    """One exchange ``minutes`` after BASE in company A (or ``tenant_id``); extra fields
    go straight to the model."""
    with w.app.app_context(), bound_tenant(tenant_id or w.tenant_id):
        exchange = Exchange(tiers_id=tiers_id, author_id=author_id,
                            made_by_id=made_by_id or author_id,
                            occurred_at=BASE + timedelta(minutes=minutes), **fields)
        db.session.add(exchange)
        db.session.flush()
        for contact_id in contacts:
            db.session.add(ExchangeContact(exchange_id=exchange.id, contact_id=contact_id))
        for membership_id in collaborators:
            db.session.add(ExchangeCollaborator(exchange_id=exchange.id,
                                                membership_id=membership_id))
        db.session.commit()
        return exchange.id


def add_many(w: World, tiers_id: int, author_id: int, count: int, **fields) -> None:
    with w.app.app_context(), bound_tenant(w.tenant_id):
        db.session.add_all([
            Exchange(tiers_id=tiers_id, author_id=author_id, made_by_id=author_id,
                     occurred_at=BASE + timedelta(minutes=i), comment=f"Appel {i}", **fields)
            for i in range(count)
        ])
        db.session.commit()


def count_exchanges(w: World, tenant_id: int | None = None, **where) -> int:
    with w.app.app_context(), bound_tenant(tenant_id or w.tenant_id):
        query = select(func.count(Exchange.id))
        for name, value in where.items():
            query = query.where(getattr(Exchange, name) == value)
        return db.session.scalar(query)


def statuses(w: World, ids, tenant_id: int | None = None) -> dict[int, str]:
    with w.app.app_context(), bound_tenant(tenant_id or w.tenant_id):
        return dict(db.session.execute(
            select(Exchange.id, Exchange.status).where(Exchange.id.in_(list(ids)))).all())


@pytest.fixture
def world(app, tenants) -> World:
    with app.app_context():
        with bound_tenant(tenants.a.id):
            user = accounts.create_user(RESTRICTED_EMAIL, "Rita Restreinte", PASSWORD, "fr")
            restricted = Membership.create(user, ROLE_MEMBER)
            restricted.rights = list(PRESETS["restricted"])
            ids = _records("")
            modes = {c.code: c.id for c in Choice.active_of("mode")}
            objects = {c.code: c.id for c in Choice.active_of("object")}
            db.session.commit()
            w = World(app, tenants.a.slug, tenants.a.id, tenants.a.admin_membership_id,
                      tenants.a.member_membership_id, restricted.id, tenants.a.group_id,
                      tiers={"dupont": ids["dupont"], "martin": ids["martin"]},
                      contacts={k: ids[k] for k in ("jeanne", "paul", "luc")},
                      document_id=ids["document"], project_id=ids["project"],
                      modes=modes, objects=objects)
        with bound_tenant(tenants.b.id):
            b = _records("B ")
            b["mode"] = Choice.active_of("mode")[0].id
            b["member"] = tenants.b.member_membership_id
            db.session.commit()
        w.b_slug, w.b_tenant_id, w.b = tenants.b.slug, tenants.b.id, b
    b["exchange"] = add(w, b["dupont"], tenants.b.admin_membership_id, tenant_id=tenants.b.id,
                        contacts=[b["jeanne"]], comment="Secret de Beta")
    return w


def in_english(client, email: str = "alice@alpha.fr") -> None:
    """Read the pages in English (the msgids): the user's saved language and this
    browser's choice both say so, whichever the app looks at first."""
    with client.application.app_context():
        User.by_email(email).language = "en"
        db.session.commit()
    with client.session_transaction() as session:
        session["lang"] = "en"


def tokens(html: str) -> set[str]:
    """The EXn markers of the comments shown on a page."""
    return set(re.findall(r"\bEX\d+\b", html))


