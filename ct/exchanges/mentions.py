"""@mentions in the comments of an exchange: which members a saved text mentions, who may
be mentioned where, and the one email each mentioned member gets.

How a mention is written down. The text keeps the readable form ``@Alice Martin`` (what
the picker inserts, what every reader, export and email shows), and the form also sends
``mention_ids``: the members the picker inserted. On save a member counts as mentioned
when their id was sent *and* ``@<their name>`` is still in the text. The id settles what
a name alone cannot (two members of the same name, a name that begins another's); the
text check drops a mention whose words were deleted since it was picked. A token form
(``@[Alice Martin](42)``) would say the same, but every reader of the comment would see
the token. An API client does as the picker: writes ``@Name`` and lists the id.

Who may be mentioned (the form says so next to the comment, the exchange is not saved):
- a member of the company, active (another company's or a former member: "choose from
  the suggestions");
- who can see the exchange once saved: a member who sees only their own exchanges must be
  its author, its maker or a collaborator — otherwise the email would lead to a 404;
- in the confidential comment, only a member who may read it (its author, the members of
  the group it is shared with): the email never carries the confidential text, only
  "you were mentioned in the confidential comment" and the link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ct.emails.notify.mentions import notify_mentioned
from ct.extensions import db
from ct.models import Exchange, ExchangeMention, Membership
from ct.models.base import utcnow
from ct.models.exchange_access import SEES_ALL, SEES_OWN, visibility

SUGGESTIONS_MAX = 8


@dataclass(frozen=True)
class Mention:
    member: Membership
    confidential: bool  # found only in the confidential comment


def mentions_name(text: str | None, name: str) -> bool:
    """Whether ``text`` holds ``@name`` as a whole (not inside an email address, not the
    beginning of a longer name)."""
    if not text or not name:
        return False
    pattern = r"(?<![\w@])@" + re.escape(name) + r"(?![\w])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def find_mentions(candidates: Iterable[Membership], comment: str | None,
                  confidential_comment: str | None) -> list[Mention]:
    """The candidates (the ids the form sent) whose ``@name`` is in one of the texts; a
    member named in both counts for the comment (everyone reading the exchange sees it)."""
    found, seen = [], set()
    for member in candidates:
        if member.id in seen:
            continue
        seen.add(member.id)
        name = member.user.display_name
        if mentions_name(comment, name):
            found.append(Mention(member, False))
        elif mentions_name(confidential_comment, name):
            found.append(Mention(member, True))
    return found


def may_see(member: Membership, author_id: int, made_by_id: int | None,
            collaborator_ids: Iterable[int]) -> bool:
    """Whether ``member`` sees an exchange of this author, maker and collaborators: the
    rule of ct.models.exchange_access, asked before the exchange is saved."""
    seen = visibility(member)
    if seen == SEES_ALL:
        return True
    return seen == SEES_OWN and member.id in {author_id, made_by_id, *collaborator_ids}


def sync_mentions(exchange: Exchange, candidates: list[Membership],
                  confidential_known: bool) -> None:
    """The exchange's mention rows as its texts now say. ``confidential_known``: the
    confidential comment was part of the save (a member who may not read it keeps its
    mentions as they were)."""
    secret = exchange.confidential_comment if confidential_known else None
    wanted = {m.member.id: m.confidential
              for m in find_mentions(candidates, exchange.comment, secret)}
    for link in list(exchange.mention_links):
        if link.membership_id in wanted:
            link.confidential = wanted.pop(link.membership_id)
        elif confidential_known or not link.confidential:
            exchange.mention_links.remove(link)
    for member_id, confidential in wanted.items():
        exchange.mention_links.append(
            ExchangeMention(membership_id=member_id, confidential=confidential))


def notify_mentions(exchange: Exchange, sender: Membership) -> int:
    """The email of every mention not yet told, in the saving transaction (one per
    exchange and member: saving again sends nothing new). Returns how many were queued."""
    db.session.flush()
    queued = 0
    collaborator_ids = [link.membership_id for link in exchange.collaborator_links]
    for link in exchange.mention_links:
        if link.notified_at is not None:
            continue
        link.notified_at = utcnow()
        member = link.membership
        if member.id == sender.id or not may_see(member, exchange.author_id,
                                                 exchange.made_by_id, collaborator_ids):
            continue
        queued += notify_mentioned(exchange, member, sender, link.confidential)
    return queued
