"""A company's own wording of one of ct's emails, in one language.

No row means the default wording shipped with ct; "reset to default" deletes the row.
"""

from __future__ import annotations

from sqlalchemy import String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import Timestamps
from ct.models.membership import Membership

NAME_MAX = 40
SUBJECT_MAX = 500  # the template's source; the rendered subject is cut at 255
BODY_MAX = 20_000


class EmailTemplate(TenantScoped, Timestamps, db.Model):
    __tablename__ = "email_templates"
    __tenant_refs__ = {"updated_by_id": "memberships"}
    __extra_args__ = (UniqueConstraint("tenant_id", "name", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column()

    updated_by: Mapped[Membership | None] = relationship(foreign_keys=[updated_by_id])

    @staticmethod
    def find(name: str, language: str) -> EmailTemplate | None:
        """The bound tenant's wording of ``name`` in ``language``, if it has one."""
        return db.session.scalar(
            select(EmailTemplate).where(EmailTemplate.name == name,
                                        EmailTemplate.language == language)
        )

    @staticmethod
    def all_of_tenant() -> dict[tuple[str, str], EmailTemplate]:
        rows = db.session.scalars(select(EmailTemplate))
        return {(row.name, row.language): row for row in rows}
