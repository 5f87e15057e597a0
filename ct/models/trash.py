"""The trash: deleted exchanges, third parties and contacts, kept 30 days.

A record is really deleted (every list, search and card keeps its plain queries); its
row and the rows that hang on it (links to contacts, products, collaborators, events)
are kept here as a JSON snapshot written in the same transaction, so an administrator
can put them back with their original ids (ct.records.trash).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import UTCDateTime, utcnow
from ct.models.membership import Membership

KIND_EXCHANGE = "exchange"
KIND_TIERS = "tiers"
KIND_CONTACT = "contact"
KINDS = (KIND_EXCHANGE, KIND_TIERS, KIND_CONTACT)
LABEL_MAX = 255
KEEP_FOR = timedelta(days=30)


class TrashItem(TenantScoped, db.Model):
    __tablename__ = "trash_items"
    __tenant_refs__ = {"deleted_by_id": "memberships"}
    __extra_args__ = (
        # The trash page, newest first; the purge job's "older than 30 days".
        Index("ix_trash_items_tenant_deleted", "tenant_id", "deleted_at", "id"),
        Index("ix_trash_items_deleted", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    # {"rows": {table: [row, …]} in insertion order, "names": {"table:id": label}}
    payload: Mapped[dict] = mapped_column(JSON)
    deleted_by_id: Mapped[int | None] = mapped_column()
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deleted_by: Mapped[Membership | None] = relationship(foreign_keys=[deleted_by_id],
                                                         lazy="joined")

    @property
    def purge_after(self) -> datetime:
        return self.deleted_at + KEEP_FOR
