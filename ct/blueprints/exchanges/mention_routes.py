"""The suggestions of the @mention picker: the company's active members whose name
matches what follows the "@" (the picker, ct/static/js/mentions.js, asks as one types)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, render_template, request
from sqlalchemy import select

from ct.blueprints.exchanges import bp
from ct.core.permissions import WRITE_EXCHANGES, require_right
from ct.core.text import fold
from ct.exchanges.mentions import SUGGESTIONS_MAX
from ct.extensions import db
from ct.models import Membership, User
from ct.models.user import NAME_MAX


@dataclass(frozen=True)
class Suggestion:
    id: int
    name: str


def matches(name: str, typed: str) -> bool:
    """"al" matches "Alice Martin" and "Paul Alard": the name or one of its words starts
    with what was typed (accents and case aside)."""
    folded = fold(name)
    return folded.startswith(typed) or any(word.startswith(typed) for word in folded.split())


def suggestions(typed: str) -> list[Suggestion]:
    """The active members but the one typing (one statement, by name)."""
    rows = db.session.execute(
        select(Membership.id, User.display_name).join(Membership.user)
        .where(Membership.active.is_(True), Membership.id != g.membership.id)
        .order_by(User.display_name, Membership.id))
    found = [Suggestion(member_id, name) for member_id, name in rows
             if not typed or matches(name, typed)]
    return found[:SUGGESTIONS_MAX]


@bp.get("/mention-suggestions")
@require_right(WRITE_EXCHANGES)
def mention_suggestions():
    typed = request.args.get("q", "")[:NAME_MAX]
    return render_template("exchanges/_mention_options.html",
                           members=suggestions(fold(typed)), typed=typed)
