"""Shared column helpers for the models."""

import hashlib
from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on PostgreSQL and SQLite alike.

    SQLite stores naive values; this type attaches UTC again when reading so that
    comparisons with ``utcnow()`` work on both databases.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def sort_key_type(length: int):
    """A folded key column: byte-wise "C" collation on PostgreSQL, so its ordinary
    index serves both ORDER BY and ``LIKE 'abc%'`` prefix searches."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


# Credentials (calendar feed addresses, API tokens) are kept as a hash of the secret only.
SECRET_MAX = 100  # a longer one is not one of ours: refused before hashing


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
