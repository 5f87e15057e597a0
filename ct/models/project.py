"""Projects of the tenant and the tasks that follow exchanges up."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import Timestamps, UTCDateTime
from ct.models.membership import Membership
from ct.models.tiers import Tiers

REFERENCE_MAX = 60
TITLE_MAX = 200
LABEL_MAX = 255
DESCRIPTION_MAX = 5000  # a Text column: the limit is the form's

PROJECT_OPEN = "open"
PROJECT_CLOSED = "closed"


def project_label(reference: str, title: str) -> str:
    """How a project is named in selects, lists and messages: "PRJ-1 — Déploiement"."""
    return f"{reference} — {title}"


class Project(TenantScoped, Timestamps, db.Model):
    __tablename__ = "projects"
    __tenant_refs__ = {"tiers_id": "tiers", "created_by_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "reference"),
        Index("ix_projects_tenant_status", "tenant_id", "status", "reference"),
        Index("ix_projects_tenant_tiers", "tenant_id", "tiers_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(REFERENCE_MAX))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    tiers_id: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default=PROJECT_OPEN)
    description: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column()

    tiers: Mapped[Tiers | None] = relationship(foreign_keys=[tiers_id])

    @property
    def label(self) -> str:
        return project_label(self.reference, self.title)


class Task(TenantScoped, Timestamps, db.Model):
    __tablename__ = "tasks"
    __tenant_refs__ = {
        "project_id": "projects",
        "assignee_id": "memberships",
        "created_by_id": "memberships",
    }
    __extra_args__ = (
        # "My tasks": open tasks of one member by due date.
        Index("ix_tasks_tenant_assignee_due", "tenant_id", "assignee_id", "done", "due_date"),
        Index("ix_tasks_tenant_project", "tenant_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    project_id: Mapped[int | None] = mapped_column()
    assignee_id: Mapped[int | None] = mapped_column()
    due_date: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column()

    project: Mapped[Project | None] = relationship(foreign_keys=[project_id])
    assignee: Mapped[Membership | None] = relationship(foreign_keys=[assignee_id])
