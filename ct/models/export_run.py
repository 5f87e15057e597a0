"""One export built in the background: the whole company's data (a ZIP of CSV files) or
a large list of exchanges (one CSV file), its progress, and where the result is.

The result is a file on disk under EXPORT_DIR (instance/exports by default), named in
the row: every web process and worker of one machine sees the same folder, and a file
of a few hundred megabytes is streamed from disk instead of sitting in a database row.
docs/SCALING.md says how the folder moves to object storage past one machine. Files
expire (EXPORT_MAX_AGE_DAYS) and the clock removes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import UTCDateTime, utcnow
from ct.models.membership import Membership

KIND_TENANT = "tenant"  # every table of the company, a ZIP of CSV files (admins)
KIND_EXCHANGES = "exchanges"  # the filtered exchanges list, one CSV file (its author)

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
EXPIRED = "expired"  # done, and the file has been removed since
IN_PROGRESS = (QUEUED, RUNNING)

FILE_NAME_MAX = 255


class ExportRun(TenantScoped, db.Model):
    __tablename__ = "export_runs"
    __tenant_refs__ = {"created_by_id": "memberships"}
    __extra_args__ = (
        Index("ix_export_runs_tenant_created", "tenant_id", "created_at"),
        # The clock's search for expired files, across tenants.
        Index("ix_export_runs_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    # What the job needs to rebuild the request (filters, separator, language).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    # The file under EXPORT_DIR, relative to it; None until done and after expiry.
    file_name: Mapped[str | None] = mapped_column(String(FILE_NAME_MAX))
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)  # a ZIP may pass 2 GB
    created_by_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[Membership | None] = relationship(foreign_keys=[created_by_id])

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def percent(self) -> int:
        if self.status == DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.processed * 100 // self.total)

    @property
    def expired(self) -> bool:
        return self.status == EXPIRED or (
            self.status == DONE and self.expires_at is not None and self.expires_at <= utcnow())

    @property
    def downloadable(self) -> bool:
        return self.status == DONE and self.file_name is not None and not self.expired

    @staticmethod
    def recent(kind: str, limit: int = 5) -> list[ExportRun]:
        query = (select(ExportRun).where(ExportRun.kind == kind)
                 .order_by(ExportRun.created_at.desc(), ExportRun.id.desc()))
        return list(db.session.scalars(query.limit(limit)))
