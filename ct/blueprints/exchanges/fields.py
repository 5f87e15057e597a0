"""Form fields that carry record ids, and the tenant-scoped look-ups that check them.

Ids come from selects, checkboxes and hidden inputs the browser may tamper with. The
fields only parse them; each id is then looked up under the bound tenant's scoping, so an
id of another tenant is simply not found and becomes a field error — never a link.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import Field
from wtforms.validators import ValidationError
from wtforms.widgets import HiddenInput

from ct.core.ids import parse_id
from ct.core.session_cache import cached
from ct.extensions import db
from ct.models import Membership


def _parse_id(raw: str) -> int | None:
    if raw.strip() == "":
        return None
    record_id = parse_id(raw)
    if record_id is None:
        raise ValueError(_("Choose from the list."))
    return record_id


class IdField(Field):
    """One optional id (a select, a radio group or a hidden input): None or an int."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            self.data = _parse_id(valuelist[0])

    def _value(self):
        return "" if self.data is None else str(self.data)


class IdListField(Field):
    """Several ids (checkboxes sharing one name), without duplicates, in posted order."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", list)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        ids = [_parse_id(raw) for raw in valuelist]
        self.data = list(dict.fromkeys(i for i in ids if i is not None))

    def _value(self):
        return ",".join(str(i) for i in self.data or [])


def active_members() -> dict[int, Membership]:
    """The active members by id, in name order, read once per request: the form's
    lists and the checks of its made by, collaborators, task and event fields."""
    return cached("active_members", (Membership,),
                  lambda: {m.id: m for m in Membership.all_active()})


def active_member(member_id: int | None) -> Membership | None:
    return active_members().get(member_id) if member_id is not None else None


def active_many(ids: list[int]) -> list[Membership]:
    """Like ``many`` for active members."""
    members = active_members()
    if any(i not in members for i in ids):
        raise ValidationError(_l("Choose from the list."))
    return [members[i] for i in ids]


def one(model, record_id: int | None, *conditions):
    """The row of the bound tenant with this id (and conditions), or None."""
    if record_id is None:
        return None
    return db.session.scalar(select(model).where(model.id == record_id, *conditions))


def many(model, ids: list[int], *conditions) -> list:
    """The rows of the bound tenant with these ids, in the order given; raises
    ValidationError when any id is unknown (another tenant's, deleted, tampered)."""
    if not ids:
        return []
    found = {row.id: row for row in db.session.scalars(
        select(model).where(model.id.in_(ids), *conditions))}
    if len(found) != len(ids):
        raise ValidationError(_l("Choose from the list."))
    return [found[i] for i in ids]
