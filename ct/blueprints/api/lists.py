"""/api/v1/lists and /api/v1/members: what a client needs to fill an exchange or a
filter — the company's active contact modes and exchange objects (both languages'
labels), and its members as the members page shows them to every member. Read-only;
any member's token may read them, as any member sees them on the pages.
"""

from __future__ import annotations

from ct.blueprints.api import lists_bp, members_bp
from ct.blueprints.api.common import json_answer
from ct.blueprints.api.schemas import (
    ListEntriesSchema,
    ListEntrySchema,
    MemberSchema,
    MembersSchema,
)
from ct.blueprints.members.rules import all_members
from ct.models.choices import KIND_MODE, KIND_OBJECT, Choice


def _entries(kind: str):
    return json_answer({"items": ListEntrySchema(many=True).dump(Choice.active_of(kind))})


@lists_bp.get("/modes")
@lists_bp.response(200, ListEntriesSchema)
def modes():
    """The active contact modes (phone, email, meeting…), in the company's order."""
    return _entries(KIND_MODE)


@lists_bp.get("/objects")
@lists_bp.response(200, ListEntriesSchema)
def objects():
    """The active exchange objects (prospecting, quote, order…), in the company's order."""
    return _entries(KIND_OBJECT)


@members_bp.get("/")
@members_bp.response(200, MembersSchema)
def list_members():
    """The company's members, deactivated ones last, by name: id, name, email, role and
    whether they are active (what the members page shows to any member)."""
    return json_answer({"items": MemberSchema(many=True).dump(all_members())})
