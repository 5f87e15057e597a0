"""Who may see which exchange, and its confidential part.

Members holding "read all exchanges" see every exchange of the tenant; members holding
only "read own exchanges" see those they authored, made, or collaborate on; others
see none. The confidential comment is shown to its author and to the members of the
group it is shared with — nobody else, administrators included.
"""

from __future__ import annotations

from sqlalchemy import exists, false, or_, select, true

from ct.extensions import db
from ct.models.exchange import Exchange, ExchangeCollaborator
from ct.models.membership import GroupMember, Membership
from ct.permissions import READ_ALL_EXCHANGES, READ_OWN_EXCHANGES, has_right


def visible_clause(membership: Membership | None):
    """A WHERE clause keeping the exchanges ``membership`` may see."""
    if has_right(membership, READ_ALL_EXCHANGES):
        return true()
    if not has_right(membership, READ_OWN_EXCHANGES):
        return false()
    collaborates = exists().where(
        ExchangeCollaborator.exchange_id == Exchange.id,
        ExchangeCollaborator.membership_id == membership.id,
    )
    return or_(
        Exchange.author_id == membership.id,
        Exchange.made_by_id == membership.id,
        collaborates,
    )


def can_see_confidential(exchange: Exchange, membership: Membership | None) -> bool:
    if membership is None:
        return False
    if exchange.author_id == membership.id:
        return True
    if exchange.confidential_group_id is None:
        return False
    return bool(
        db.session.scalar(
            select(GroupMember.id).where(
                GroupMember.group_id == exchange.confidential_group_id,
                GroupMember.membership_id == membership.id,
            )
        )
    )


def confidential_groups_of(membership: Membership | None) -> set[int]:
    """The groups whose confidential comments ``membership`` may read (for lists)."""
    if membership is None:
        return set()
    return set(
        db.session.scalars(
            select(GroupMember.group_id).where(GroupMember.membership_id == membership.id)
        )
    )
