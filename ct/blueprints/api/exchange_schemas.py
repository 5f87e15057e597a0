"""The marshmallow schemas of /api/v1/exchanges (the contract is generated from them)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ct.blueprints.api.schemas import PageQuerySchema
from ct.exchanges.query import TEXT_MAX
from ct.models.exchange import COMMENT_MAX, STATUSES


def _id_of(description: str):
    return fields.Integer(allow_none=True, strict=True, metadata={"description": description})


def _ids_of(description: str):
    return fields.List(fields.Integer(strict=True), metadata={"description": description})


def _comment(description: str):
    return fields.String(allow_none=True, validate=validate.Length(max=COMMENT_MAX),
                         metadata={"description": description})


class ExchangeWriteSchema(Schema):
    """The fields a client writes; the exchange pop-up's form checks them (the same
    rules and messages). Fields the company's settings hide are ignored, as on the page."""

    tiers_id = _id_of("The third party of the exchange (required to create).")
    occurred_at = fields.DateTime(metadata={
        "description": "When (required to create). With an offset; without one, the "
                       "company's wall-clock time, as the form reads it."})
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "description": "closed (default), in_progress or todo."})
    comment = _comment("The comment everyone who sees the exchange reads.")
    mode_id = _id_of("A contact mode of the company (/api/v1/lists/modes).")
    object_id = _id_of("An exchange object of the company (/api/v1/lists/objects).")
    document_id = _id_of("A document of the exchange's third party.")
    project_id = _id_of("A project of the company.")
    contact_ids = _ids_of("Contacts of the exchange's third party.")
    made_by_id = _id_of("The active member who made the exchange (the setting "
                        "\"choose the user\"); default: the token's member.")
    collaborator_ids = _ids_of("Active members taking part (the setting \"collaborators\").")
    notify_collaborators = fields.Boolean(metadata={
        "description": "On create: email the collaborators, as the pop-up's box does."})
    confidential_comment = _comment("Read only by its author and the group it is shared "
                                    "with (the setting \"confidential comments\").")
    confidential_group_id = _id_of("The group the confidential comment is shared with.")
    mention_ids = _ids_of("Active members @mentioned: write \"@Their Name\" in the comment "
                          "(or the confidential comment) and list their ids here; each gets "
                          "one email. A name no longer in the text is no longer mentioned.")


class TiersRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ContactRefSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()


class ExchangeSchema(Schema):
    id = fields.Integer()
    tiers = fields.Nested(TiersRefSchema)
    occurred_at = fields.String(metadata={"description": "ISO 8601, with the company's "
                                                         "offset."})
    status = fields.String()
    comment = fields.String(allow_none=True)
    mode_id = fields.Integer(allow_none=True)
    object_id = fields.Integer(allow_none=True)
    document_id = fields.Integer(allow_none=True)
    project_id = fields.Integer(allow_none=True)
    contacts = fields.List(fields.Nested(ContactRefSchema))
    collaborator_ids = fields.List(fields.Integer())
    notify_collaborators = fields.Boolean()
    made_by_id = fields.Integer()
    author_id = fields.Integer()
    confidential_comment = fields.String(allow_none=True, metadata={
        "description": "Only for its author and the members of its group; null for others."})
    confidential_group_id = fields.Integer(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()


class ExchangePageSchema(Schema):
    items = fields.List(fields.Nested(ExchangeSchema))
    next = fields.String(allow_none=True, metadata={
        "description": "The cursor of the next page (pass it as `cursor`), null at the end."})


class ExchangeQuerySchema(PageQuerySchema):
    """The All exchanges page's filters; its form checks them (the same messages)."""

    q = fields.String(load_default="", validate=validate.Length(max=TEXT_MAX),
                      metadata={"description": "Words of the comment (never the "
                                               "confidential one)."})
    status = fields.String(load_default="")
    mode = fields.Integer(load_default=None, metadata={"description": "Contact mode id."})
    object = fields.Integer(load_default=None, metadata={"description": "Object id."})
    member = fields.Integer(load_default=None, metadata={
        "description": "Made or written by this member (id)."})
    date_from = fields.Date(load_default=None, metadata={"description": "From this day on "
                                                                        "(company's zone)."})
    date_to = fields.Date(load_default=None, metadata={"description": "Up to this day, "
                                                                      "included."})
    tiers = fields.Integer(load_default=None, metadata={"description": "Third party id."})
    contact = fields.Integer(load_default=None, metadata={"description": "Contact id."})
    mentions = fields.Boolean(load_default=False, metadata={
        "description": "true: only the exchanges that @mention the token's member."})
