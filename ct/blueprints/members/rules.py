"""What admins may change about members, and the one rule that keeps a company manageable:
there is always at least one active administrator. Every change is audited."""

from __future__ import annotations

from sqlalchemy import select

from ct.core.permissions import RIGHTS, ROLE_ADMIN
from ct.extensions import db
from ct.models import AuditEntry, Invitation, Membership, User

INVITATIONS_SHOWN = 50


class LastAdmin(Exception):
    """The change would leave the company without an active administrator."""


def all_members() -> list[Membership]:
    """Every member of the bound tenant, deactivated ones last, by name."""
    return list(db.session.scalars(
        select(Membership).join(Membership.user)
        .order_by(Membership.active.desc(), User.display_name, Membership.id)))


def find(membership_id: int) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.id == membership_id))


def open_invitations() -> list[Invitation]:
    """Invitations not accepted yet, expired ones included (they can be sent again)."""
    return list(db.session.scalars(
        select(Invitation).where(Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(INVITATIONS_SHOWN)))


def find_open_invitation(invitation_id: int) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.accepted_at.is_(None)))


def _keep_an_admin(member: Membership) -> None:
    """Refuse to demote or deactivate the last active administrator.

    The active admins' rows are locked: two admins demoting each other at the same
    moment are served one after the other, and the second one is refused.
    """
    if not (member.active and member.role == ROLE_ADMIN):
        return
    admins = db.session.scalars(
        select(Membership.id)
        .where(Membership.role == ROLE_ADMIN, Membership.active.is_(True))
        .with_for_update()
    ).all()
    if not [admin_id for admin_id in admins if admin_id != member.id]:
        raise LastAdmin


def _state(member: Membership) -> dict:
    return {"role": member.role, "rights": list(member.rights or []), "active": member.active}


def _audit(actor: Membership, action: str, member: Membership, before: dict) -> None:
    AuditEntry.record(actor, action, before, _state(member), target=f"member:{member.id}")


def change_role(member: Membership, role: str, actor: Membership) -> None:
    """The new role with the rights of its preset."""
    if role == member.role:
        return
    if role != ROLE_ADMIN:
        _keep_an_admin(member)
    before = _state(member)
    member.set_role(role)
    _audit(actor, "member.role", member, before)


def set_active(member: Membership, active: bool, actor: Membership) -> None:
    """Deactivate (no more access, their exchanges stay) or reactivate a member."""
    if active == member.active:
        return
    if not active:
        _keep_an_admin(member)
    before = _state(member)
    member.active = active
    _audit(actor, "member.active", member, before)


def set_rights(member: Membership, rights: list[str], actor: Membership) -> None:
    before = _state(member)
    member.rights = [right for right in RIGHTS if right in set(rights)]  # in a stable order
    _audit(actor, "member.rights", member, before)
