"""The audit trail: who created, changed, deleted or restored what, when, from what to what.

Settings and members' rights are recorded by their routes (``AuditEntry.record``); the
exchanges, third parties and contacts by one flush listener (ct.records.audit) and the trash.
``record_type`` and ``record_id`` say which record a line is about, for its card's
"History of changes" and the log's filters.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.ids import parse_id
from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import UTCDateTime, utcnow
from ct.models.membership import Membership

ACTION_MAX = 40
TARGET_MAX = 60
RECORD_TYPE_MAX = 20

# What an entry's action starts with, when it is about one record: its record type.
RECORD_TYPES = ("exchange", "tiers", "contact", "member", "settings")


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """The entries of ``before`` and ``after`` whose values differ (the rest is noise)."""
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    return ({k: before[k] for k in keys if k in before},
            {k: after[k] for k in keys if k in after})


def record_of(action: str, target: str | None) -> tuple[str | None, int | None]:
    """The record type (the action's first word) and id ("member:12") of an entry."""
    kind = action.partition(".")[0]
    record_type = kind if kind in RECORD_TYPES else None
    name, _sep, raw_id = (target or "").partition(":")
    record_id = parse_id(raw_id) if name == kind else None
    return record_type, record_id


class AuditEntry(TenantScoped, db.Model):
    __tablename__ = "audit_entries"
    __tenant_refs__ = {"actor_id": "memberships"}
    __extra_args__ = (
        Index("ix_audit_entries_tenant_created", "tenant_id", "created_at", "id"),
        Index("ix_audit_entries_tenant_target", "tenant_id", "target", "created_at"),
        # A card's history, and the log filtered by record type.
        Index("ix_audit_entries_tenant_record", "tenant_id", "record_type", "record_id",
              "created_at"),
        # "Has this company ever …" questions (the first steps checklist) by action.
        Index("ix_audit_entries_tenant_action", "tenant_id", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column()
    # "settings.update", "settings.list", "member.rights", "member.role", …
    action: Mapped[str] = mapped_column(String(ACTION_MAX))
    # What was changed, when it is not the tenant's settings: "member:12", "mode:4".
    target: Mapped[str | None] = mapped_column(String(TARGET_MAX))
    record_type: Mapped[str | None] = mapped_column(String(RECORD_TYPE_MAX))
    record_id: Mapped[int | None] = mapped_column()
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[Membership | None] = relationship(foreign_keys=[actor_id], lazy="joined")

    @classmethod
    def record(cls, actor: Membership | None, action: str, before: dict, after: dict,
               target: str | None = None) -> AuditEntry | None:
        """Add an entry with only the changed fields; nothing when nothing changed."""
        before, after = changed_fields(before, after)
        if not before and not after:
            return None
        record_type, record_id = record_of(action, target)
        entry = cls(actor=actor, action=action, target=target, before=before, after=after,
                    record_type=record_type, record_id=record_id)
        db.session.add(entry)
        return entry

    @staticmethod
    def latest(action_prefix: str | None = None, target: str | None = None,
               limit: int = 10) -> list[AuditEntry]:
        """The newest entries of the bound tenant, optionally of one kind or one target."""
        query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        if action_prefix is not None:
            query = query.where(AuditEntry.action.startswith(action_prefix, autoescape=True))
        if target is not None:
            query = query.where(AuditEntry.target == target)
        return list(db.session.scalars(query.limit(limit)))
