"""The "Mentions" widget of the home page: the latest exchanges that @mention the member
(ct/exchanges/mentions.py), among those they may still see. One bounded statement on the
mentions' (tenant, member) index, like the other widgets (ct/home/widgets.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ct.extensions import db
from ct.models import Exchange, ExchangeMention, Membership, Tiers, User
from ct.models.exchange_access import MEMBER, visibility, visible_to

MENTIONS_SHOWN = 5


@dataclass(slots=True)
class MentionedIn:
    id: int
    occurred_at: datetime
    tiers_name: str
    author_name: str  # who wrote the exchange (and so, most likely, the mention)
    confidential: bool  # the mention is in the confidential comment


def mentioned_in(membership: Membership, limit: int = MENTIONS_SHOWN) -> list[MentionedIn]:
    """The newest exchanges mentioning ``membership`` that they may see; never a word of
    the texts (the card shows them, with the confidential rule)."""
    rows = db.session.execute(_statement(visibility(membership), limit),
                              dict(member_id=membership.id))
    return [MentionedIn(*row) for row in rows]


def _statement(seen: str, limit: int):
    author = aliased(Membership)
    return (
        select(Exchange.id, Exchange.occurred_at, Tiers.name, User.display_name,
               ExchangeMention.confidential)
        .join(ExchangeMention, ExchangeMention.exchange_id == Exchange.id)
        .join(Tiers, Tiers.id == Exchange.tiers_id)
        .join(author, author.id == Exchange.author_id)
        .join(User, User.id == author.user_id)
        .where(ExchangeMention.membership_id == MEMBER, visible_to(seen, MEMBER))
        .order_by(Exchange.occurred_at.desc(), Exchange.id.desc())
        .limit(limit))
