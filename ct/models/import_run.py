"""One CSV import: the uploaded file, its check report, and the progress of the import.

The file is kept in the row between the preview and the import (and dropped once the
import is over), so the import runs in a background job on exactly what was previewed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import UTCDateTime, utcnow
from ct.models.membership import Membership

KIND_TIERS = "tiers"
KIND_CONTACTS = "contacts"
KINDS = (KIND_TIERS, KIND_CONTACTS)

CHECKING = "checking"  # rows being checked (background job)
READY = "ready"  # preview and report ready, waiting for the user's choice
QUEUED = "queued"
IMPORTING = "importing"
DONE = "done"
FAILED = "failed"
IN_PROGRESS = (CHECKING, QUEUED, IMPORTING)

FILENAME_MAX = 255


class ImportRun(TenantScoped, db.Model):
    __tablename__ = "import_runs"
    __tenant_refs__ = {"created_by_id": "memberships"}
    __extra_args__ = (Index("ix_import_runs_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(FILENAME_MAX))
    # Deferred: the status page polls every second and needs neither the file nor the report.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    report: Mapped[dict | None] = deferred(mapped_column(JSON))
    encoding: Mapped[str] = mapped_column(String(20))
    delimiter: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(10), default=CHECKING)
    skip_errors: Mapped[bool] = mapped_column(Boolean, default=False)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    error_rows: Mapped[int] = mapped_column(Integer, default=0)
    warning_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    failure: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[Membership | None] = relationship(foreign_keys=[created_by_id])

    @property
    def valid_rows(self) -> int:
        return self.total_rows - self.error_rows

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed * 100 // self.total_rows)

    @staticmethod
    def recent(limit: int = 10) -> list[ImportRun]:
        query = select(ImportRun).order_by(ImportRun.created_at.desc(), ImportRun.id.desc())
        return list(db.session.scalars(query.limit(limit)))
