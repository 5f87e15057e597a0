"""Who may read an exchange, and who may read its confidential part.

Every page that shows exchanges (card, lists, history tabs, exports, search) asks these
two questions, so the rule lives in one place:

- ``visible_clause(membership)``: a WHERE clause on ``Exchange``. "Read all" sees every
  exchange of the tenant; "read own" sees those the member wrote, made or collaborates on;
  a member with neither right sees none.
- ``can_see_confidential(exchange, membership)``: the author and the members of the group
  the confidential comment is shared with — nobody else, not even an administrator.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from ct.extensions import db
from ct.models.exchange import Exchange, ExchangeCollaborator
from ct.models.membership import GroupMember, Membership
from ct.permissions import READ_ALL_EXCHANGES, READ_OWN_EXCHANGES, has_right


def visible_clause(membership: Membership | None) -> ColumnElement[bool]:
    """The exchanges ``membership`` may read, as a condition for ``select(Exchange)``."""
    if has_right(membership, READ_ALL_EXCHANGES):
        return true()
    if not has_right(membership, READ_OWN_EXCHANGES):
        return false()
    collaborates = select(ExchangeCollaborator.exchange_id).where(
        ExchangeCollaborator.membership_id == membership.id
    )
    return or_(
        Exchange.author_id == membership.id,
        Exchange.made_by_id == membership.id,
        Exchange.id.in_(collaborates),
    )


def confidential_clause(membership: Membership | None) -> ColumnElement[bool]:
    """SQL twin of ``can_see_confidential``, for lists that show many exchanges at once."""
    if membership is None or not membership.active:
        return false()
    in_group = exists().where(
        GroupMember.group_id == Exchange.confidential_group_id,
        GroupMember.membership_id == membership.id,
    )
    return or_(
        Exchange.author_id == membership.id,
        and_(Exchange.confidential_group_id.is_not(None), in_group),
    )


def can_see_confidential(exchange: Exchange, membership: Membership | None) -> bool:
    """Whether ``membership`` may read the confidential comment of ``exchange``."""
    if membership is None or not membership.active:
        return False
    if exchange.author_id == membership.id:
        return True
    if exchange.confidential_group_id is None:
        return False
    found = db.session.scalar(
        select(GroupMember.id).where(
            GroupMember.group_id == exchange.confidential_group_id,
            GroupMember.membership_id == membership.id,
        )
    )
    return found is not None
