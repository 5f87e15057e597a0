"""A tenant is one company using ct; every other business row belongs to one."""

import re
import unicodedata
from datetime import datetime

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from ct.extensions import db
from ct.models.base import Timestamps, UTCDateTime

NAME_MAX = 120
SLUG_MAX = 60
RESERVED_SLUGS = {"static", "admin", "api", "new", "login", "signup"}


# Letters that Unicode does not decompose into a base letter plus accents.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o",
                            "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th"})


def slugify(name: str) -> str:
    ascii_name = (
        unicodedata.normalize("NFKD", name.translate(_LIGATURES)).encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[: SLUG_MAX - 6].strip("-") or "company"


class Tenant(Timestamps, db.Model):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), unique=True)
    # When an admin closes the company: the moment its data is deleted (the end of the
    # grace period, see ct/records/closing.py); None while it is not closing.
    closing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by the database whenever the company's lists (choices, members' names)
    # change: what a web worker keeps of them between requests is current while it
    # matches (ct/core/session_cache.py, migration 0015).
    lists_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @staticmethod
    def unique_slug(name: str) -> str:
        """The slug of ``name``, numbered when another company already has it."""
        base = slugify(name)
        taken = set(
            db.session.scalars(
                select(Tenant.slug).where(Tenant.slug.like(f"{base}%"))
            ).all()
        ) | RESERVED_SLUGS
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"
