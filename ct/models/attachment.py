"""A file kept with an exchange: its row here, its bytes in the attachment storage.

The row names the bytes by ``storage_key`` (``<company id>/<random name>``): the name the
member gave is only shown, never used as a path. ``content_type`` is what the content was
read to be (ct/attachments/inspect.py), not what the name or the browser claimed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import UTCDateTime, utcnow

FILENAME_MAX = 200
STORAGE_KEY_MAX = 80
# Where a file came from: chosen in the pop-up, or attached to a captured email.
SOURCE_UPLOAD, SOURCE_EMAIL = "upload", "email"


class ExchangeAttachment(TenantScoped, db.Model):
    __tablename__ = "exchange_attachments"
    __tenant_refs__ = {"exchange_id": "exchanges", "created_by_id": "memberships"}
    __extra_args__ = (
        Index("ix_exchange_attachments_exchange", "tenant_id", "exchange_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column()
    filename: Mapped[str] = mapped_column(String(FILENAME_MAX))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    # The bytes' name in the storage: a storage detail, not the company's data.
    storage_key: Mapped[str] = mapped_column(String(STORAGE_KEY_MAX), info={"export": False})
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_UPLOAD)
    created_by_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
