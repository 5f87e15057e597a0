"""The marshmallow schemas of the API: the contract (openapi.json) is generated from them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ct.models import tiers as limits

MAX_LIMIT = 100


class ProblemSchema(Schema):
    """An error, as RFC 9457 problem details (application/problem+json)."""

    type = fields.String(metadata={"description": "Always about:blank: see status."})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Field name → its error messages (422)."})


def _text(size: int, **kwargs):
    return fields.String(allow_none=True, validate=validate.Length(max=size), **kwargs)


KIND = validate.OneOf(limits.KINDS)


class TiersWriteSchema(Schema):
    """The fields a client writes; the page's form checks them (the same rules)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=limits.NAME_MAX))
    kinds = fields.List(fields.String(validate=KIND), metadata={
        "description": "Any of prospect, customer, supplier."})
    customer_code = _text(limits.CODE_MAX)
    email = _text(limits.EMAIL_MAX)
    phone = _text(limits.PHONE_MAX)
    website = _text(limits.URL_MAX)
    street = _text(limits.STREET_MAX)
    postcode = _text(limits.POSTCODE_MAX)
    town = _text(limits.TOWN_MAX)
    country = _text(limits.COUNTRY_MAX)
    sales_rep_id = fields.Integer(allow_none=True, strict=True,
                                  metadata={"description": "A member of the company."})
    notes = _text(limits.NOTES_MAX)


class TiersUpdateSchema(TiersWriteSchema):
    name = fields.String(validate=validate.Length(min=1, max=limits.NAME_MAX))
    active = fields.Boolean(metadata={"description": "False closes the third party."})


class TiersSchema(TiersWriteSchema):
    id = fields.Integer(dump_only=True)
    kinds = fields.List(fields.String())
    active = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class TiersPageSchema(Schema):
    items = fields.List(fields.Nested(TiersSchema))
    next = fields.String(allow_none=True, metadata={
        "description": "The cursor of the next page (pass it as `cursor`), null at the end."})


class TiersQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Name (1–2 letters: its start), code, email, "
                                               "town or phone, as the list page searches."})
    kind = fields.String(load_default="", validate=validate.OneOf(("", *limits.KINDS)))
    rep = fields.Integer(load_default=None, metadata={"description": "Sales rep (member id)."})
    status = fields.String(load_default="active",
                           validate=validate.OneOf(("active", "closed", "all")))
    sort = fields.String(load_default="name",
                         validate=validate.OneOf(("name", "code", "town", "created")))
    dir = fields.String(load_default="asc", validate=validate.OneOf(("asc", "desc")))
    cursor = fields.String(load_default=None, validate=validate.Length(max=1000))
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_LIMIT))
