"""The marshmallow schemas of /api/v1/tasks (the contract is generated from them)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from ct.blueprints.api.schemas import PageQuerySchema, id_filter
from ct.core.ids import ID_MAX
from ct.models.project import LABEL_MAX

MINE = "mine"


def _assignee(value: str) -> None:
    if value == MINE or (value.isascii() and value.isdigit() and 0 < int(value) <= ID_MAX):
        return
    raise ValidationError("Either `mine` or a member's id.")


def _id_of(description: str):
    return fields.Integer(allow_none=True, strict=True, metadata={"description": description})


class TaskWriteSchema(Schema):
    """The fields a client writes; the task page's form checks them (the same rules and
    messages)."""

    label = fields.String(validate=validate.Length(max=LABEL_MAX),
                          metadata={"description": "Required to create."})
    project_id = _id_of("A project of the company.")
    assignee_id = _id_of("An active member of the company (emailed when the task goes "
                         "to them); default on create: the token's member.")
    due_date = fields.Date(allow_none=True, metadata={"description": "A day (YYYY-MM-DD)."})
    done = fields.Boolean()


class TaskSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    project_id = fields.Integer(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    due_date = fields.String(allow_none=True, metadata={"description": "YYYY-MM-DD."})
    done = fields.Boolean()
    done_at = fields.String(allow_none=True, metadata={"description": "When it was ticked "
                                                                      "off (company's offset)."})
    created_by_id = fields.Integer(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()


class TaskPageSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema))
    next = fields.String(allow_none=True, metadata={
        "description": "The cursor of the next page (pass it as `cursor`), null at the end."})


class TaskQuerySchema(PageQuerySchema):
    assignee = fields.String(load_default=None, validate=_assignee, metadata={
        "description": "A member's id, or `mine`: the tasks of the token's member and the "
                       "ones they wrote for nobody (as My tasks shows)."})
    done = fields.Boolean(load_default=None, metadata={"description": "true or false; "
                                                                      "default: both."})
    project = id_filter("Only the tasks of this project (id).")
