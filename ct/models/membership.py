"""Who belongs to a tenant, with which role and rights, and in which groups."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.permissions import PRESETS, ROLE_ADMIN
from ct.core.session_cache import cached
from ct.core.tenancy import ALL_TENANTS, TenantScoped
from ct.extensions import db
from ct.models.base import Timestamps
from ct.models.tenant import Tenant
from ct.models.user import User, normalize_email

GROUP_NAME_MAX = 80


class Membership(TenantScoped, Timestamps, db.Model):
    __tablename__ = "memberships"
    __extra_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    rights: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The daily digest email (opt-in), and the company day it was last looked at.
    daily_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    digest_sent_on: Mapped[date | None] = mapped_column(Date)
    # The home page widgets shown and their order (see ct.home.layout); None: defaults.
    home_layout: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User] = relationship(lazy="joined")

    @classmethod
    def create(cls, user: User, role: str) -> Membership:
        membership = cls(user=user, active=True)
        membership.set_role(role)
        db.session.add(membership)
        return membership

    def set_role(self, role: str) -> None:
        """The role and the rights of its preset."""
        self.role = role
        self.rights = list(PRESETS["admin" if role == ROLE_ADMIN else "member"])

    @staticmethod
    def of_user(user_id: int) -> Membership | None:
        """The membership of ``user_id`` in the bound tenant."""
        return db.session.scalar(select(Membership).where(Membership.user_id == user_id))

    @staticmethod
    def names() -> tuple[tuple[int, str], ...]:
        """(id, display_name) of every member of the bound tenant, former ones included
        (their exchanges stay in the lists), by name; kept between requests while the
        tenant's lists version holds (the list's member filter and its rows' "made by"
        both ask, on every list page)."""
        return cached("member_names", (Membership, User), lambda: tuple(
            (member_id, name) for member_id, name in db.session.execute(
                select(Membership.id, User.display_name).join(Membership.user)
                .order_by(User.display_name))), shared=True)

    @staticmethod
    def all_active() -> list[Membership]:
        """The active members of the bound tenant, by name."""
        return list(
            db.session.scalars(
                select(Membership)
                .join(Membership.user)
                .where(Membership.active.is_(True))
                .order_by(User.display_name)
            )
        )

    @staticmethod
    def by_email(email: str) -> Membership | None:
        return db.session.scalar(
            select(Membership).join(Membership.user).where(User.email == normalize_email(email))
        )

    @staticmethod
    def tenants_of(user_id: int, include_inactive: bool = False) -> list[Tenant]:
        """The tenants ``user_id`` belongs to — the one cross-tenant read a user may
        make, for the workspace switcher."""
        query = (
            select(Tenant)
            .join(Membership, Membership.tenant_id == Tenant.id)
            .where(Membership.user_id == user_id)
            .order_by(Tenant.name)
            .execution_options(**{ALL_TENANTS: True})
        )
        if not include_inactive:
            query = query.where(Membership.active.is_(True))
        return list(db.session.scalars(query))

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN


class Group(TenantScoped, Timestamps, db.Model):
    __tablename__ = "groups"
    __extra_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(GROUP_NAME_MAX))

    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", foreign_keys="GroupMember.group_id", cascade="all, delete-orphan"
    )


class GroupMember(TenantScoped, db.Model):
    __tablename__ = "group_members"
    __tenant_refs__ = {"group_id": "groups", "membership_id": "memberships"}
    __extra_args__ = (UniqueConstraint("tenant_id", "group_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(index=True)
    membership_id: Mapped[int] = mapped_column(index=True)

    # Relationships name their one foreign-key column: the ORM joins on the id, the
    # composite key keeps the tenant consistent in the database.
    group: Mapped[Group] = relationship(back_populates="members", foreign_keys=[group_id])
    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])

