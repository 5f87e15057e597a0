"""Who may see which exchange, and its confidential part.

Members holding "read all exchanges" see every exchange of the tenant; members holding
only "read own exchanges" see those they authored, made, or collaborate on; others
see none. The confidential comment is shown to its author and to the members of the
group it is shared with — nobody else, administrators included.

The card, the lists, the history tabs, the exports and the search all ask these
questions, so the answers live here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    exists,
    false,
    or_,
    select,
    true,
)

from ct.core.permissions import READ_ALL_EXCHANGES, READ_OWN_EXCHANGES, has_right
from ct.extensions import db
from ct.models.exchange import Exchange, ExchangeCollaborator
from ct.models.membership import GroupMember, Membership

# The member as a bound parameter: one SQL text for every member (visible_to(seen, MEMBER)).
MEMBER = bindparam("member_id", type_=Integer)

SEES_ALL = "all"
SEES_OWN = "own"
SEES_NONE = "none"


def visibility(membership: Membership | None) -> str:
    """Which exchanges ``membership`` may see: SEES_ALL, SEES_OWN or SEES_NONE."""
    if has_right(membership, READ_ALL_EXCHANGES):
        return SEES_ALL
    return SEES_OWN if has_right(membership, READ_OWN_EXCHANGES) else SEES_NONE


def visible_clause(membership: Membership | None) -> ColumnElement[bool]:
    """A WHERE clause keeping the exchanges ``membership`` may see."""
    return visible_to(visibility(membership), membership.id if membership else None)


def visible_to(seen: str, member_id) -> ColumnElement[bool]:
    """The exchanges a member of visibility ``seen`` may see; ``member_id`` is their id
    or a bound parameter standing for it (one SQL text for every member)."""
    if seen == SEES_ALL:
        return true()
    if seen == SEES_NONE:
        return false()
    collaborates = exists().where(
        ExchangeCollaborator.exchange_id == Exchange.id,
        ExchangeCollaborator.membership_id == member_id,
    )
    return or_(
        Exchange.author_id == member_id,
        Exchange.made_by_id == member_id,
        collaborates,
    )


class ConfidentialReader:
    """The one rule for a confidential comment: its author and the members of the group
    it is shared with read it — nobody else, administrators included.

    Built once per member, then asked for any number of rows: the card, the notifications,
    the email log, the export, the trash. The member's groups are read (one statement)
    only when a row's answer depends on them. ``confidential_clause`` is the same rule in
    SQL, for lists."""

    def __init__(self, member_id: int | None, groups: Callable[[], Iterable[int]]):
        self.member_id = member_id
        self._groups = groups

    @classmethod
    def of(cls, membership: Membership | None) -> ConfidentialReader:
        if membership is None or not membership.active:
            return cls(None, frozenset)
        return cls(membership.id, lambda: confidential_groups_of(membership))

    @cached_property
    def group_ids(self) -> frozenset[int]:
        return frozenset(self._groups())

    def may_read(self, author_id: int | None, group_id: int | None) -> bool:
        if self.member_id is None:
            return False
        if author_id == self.member_id:
            return True
        return group_id is not None and group_id in self.group_ids


def can_see_confidential(exchange: Exchange, membership: Membership | None) -> bool:
    """Whether ``membership`` may read the confidential comment of ``exchange``."""
    return ConfidentialReader.of(membership).may_read(exchange.author_id,
                                                      exchange.confidential_group_id)


def confidential_clause(membership: Membership | None) -> ColumnElement[bool]:
    """SQL twin of ``can_see_confidential``, for pages that show many exchanges at once."""
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


def confidential_groups_of(membership: Membership | None) -> set[int]:
    """The groups whose confidential comments ``membership`` may read (for lists)."""
    if membership is None:
        return set()
    return set(
        db.session.scalars(
            select(GroupMember.group_id).where(GroupMember.membership_id == membership.id)
        )
    )
