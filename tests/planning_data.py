"""Rows for the projects, tasks and agenda tests, written straight to the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Event, EventAssignee, EventContact, Project, Task, Tiers

PARIS = ZoneInfo("Europe/Paris")


def paris_today() -> date:
    return datetime.now(PARIS).date()


def paris(year, month, day, hour=0, minute=0) -> datetime:
    """A wall-clock time in Paris, as the aware datetime the database stores."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def _add(app, tenant_id: int, row):
    with app.app_context(), bound_tenant(tenant_id):
        db.session.add(row)
        db.session.commit()
        return row.id


def make_tiers(app, tenant_id: int, name: str = "Dupont SARL", **fields) -> int:
    return _add(app, tenant_id, Tiers(name=name, **fields))


def make_contact(app, tenant_id: int, last_name: str = "Martin", tiers_id=None, **fields) -> int:
    return _add(app, tenant_id, Contact(last_name=last_name, tiers_id=tiers_id, **fields))


def make_project(app, tenant_id: int, reference: str = "P-001", title: str = "New website",
                 **fields) -> int:
    return _add(app, tenant_id, Project(reference=reference, title=title, **fields))


def make_task(app, tenant_id: int, label: str = "Call back", **fields) -> int:
    fields.setdefault("done", False)
    return _add(app, tenant_id, Task(label=label, **fields))


def make_event(app, tenant_id: int, title: str = "Meeting", starts_at: datetime | None = None,
               ends_at: datetime | None = None, assignees=(), contacts=(), **fields) -> int:
    starts_at = starts_at or datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    ends_at = ends_at or starts_at + timedelta(hours=1)
    with app.app_context(), bound_tenant(tenant_id):
        ev = Event(title=title, starts_at=starts_at, ends_at=ends_at, **fields)
        ev.assignee_links = [EventAssignee(membership_id=m) for m in assignees]
        ev.contact_links = [EventContact(contact_id=c) for c in contacts]
        db.session.add(ev)
        db.session.commit()
        return ev.id


def get(app, tenant_id: int, model, row_id: int):
    """A row (detached, columns loaded), or None."""
    with app.app_context(), bound_tenant(tenant_id):
        row = db.session.scalar(select(model).where(model.id == row_id))
        if row is not None:
            db.session.expunge(row)
        return row


def count(app, tenant_id: int, model, *where) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(model.id)).where(*where))


def section(html: str, element_id: str) -> str:
    """The HTML of the element with this id, up to its closing tag (no nesting of the
    same tag inside, which holds for the sections and rows tested)."""
    import re

    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    if match is None:
        return ""
    tag = match.group(1)
    end = html.find(f"</{tag}>", match.end())
    return html[match.start(): end if end != -1 else len(html)]
