"""The marshmallow schemas of the API: the contract (openapi.json) is generated from them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ct.core.ids import ID_MAX
from ct.models import contact as contact_limits
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


def _id_of(description: str):
    """The id of another record of the company (the form checks it is one)."""
    return fields.Integer(allow_none=True, strict=True, metadata={"description": description})


def id_filter(description: str):
    """A query's record id: a number past the database's integers is a field error
    (PostgreSQL refuses it in a comparison: it was a 500)."""
    return fields.Integer(load_default=None, validate=validate.Range(min=1, max=ID_MAX),
                          metadata={"description": description})


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
    sales_rep_id = _id_of("A member of the company.")
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


def _next():
    return fields.String(allow_none=True, metadata={
        "description": "The cursor of the next page (pass it as `cursor`), null at the end."})


class TiersPageSchema(Schema):
    items = fields.List(fields.Nested(TiersSchema))
    next = _next()


class PageQuerySchema(Schema):
    """The keyset page asked for: every list of the API takes these."""

    cursor = fields.String(load_default=None, validate=validate.Length(max=1000))
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_LIMIT))


class TiersQuerySchema(PageQuerySchema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Name (1–2 letters: its start), code, email, "
                                               "town or phone, as the list page searches."})
    kind = fields.String(load_default="", validate=validate.OneOf(("", *limits.KINDS)))
    rep = id_filter("Sales rep (member id).")
    status = fields.String(load_default="active",
                           validate=validate.OneOf(("active", "closed", "all")))
    sort = fields.String(load_default="name",
                         validate=validate.OneOf(("name", "code", "town", "created")))
    dir = fields.String(load_default="asc", validate=validate.OneOf(("asc", "desc")))


class ContactWriteSchema(Schema):
    """The fields a client writes; the contact page's form checks them (a first or a
    last name, a valid email, phone numbers, a third party of the company)."""

    first_name = _text(contact_limits.NAME_MAX)
    last_name = _text(contact_limits.NAME_MAX)
    job_title = _text(contact_limits.JOB_MAX)
    email = _text(limits.EMAIL_MAX)
    phone = _text(limits.PHONE_MAX)
    mobile = _text(limits.PHONE_MAX)
    tiers_id = _id_of("A third party of the company.")
    notes = _text(contact_limits.NOTES_MAX)


class ContactSchema(ContactWriteSchema):
    id = fields.Integer(dump_only=True)
    full_name = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ContactPageSchema(Schema):
    items = fields.List(fields.Nested(ContactSchema))
    next = _next()


class ContactQuerySchema(PageQuerySchema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "1–2 letters: the start of the name; more: "
                                               "anywhere in the name, job, email or phones."})
    tiers = id_filter("Only the contacts of this third party (id).")
    dir = fields.String(load_default="asc", validate=validate.OneOf(("asc", "desc")),
                        metadata={"description": "By name (last, first), A→Z or Z→A."})


class ListEntrySchema(Schema):
    """An active entry of one of the company's lists."""

    id = fields.Integer()
    code = fields.String(allow_none=True, metadata={
        "description": "Stable code of a default entry; null for an entry the company typed."})
    label = fields.String(metadata={"description": "The label in French (or as typed)."})
    label_en = fields.String(allow_none=True, metadata={
        "description": "The label in English; null when the company typed only one."})


class ListEntriesSchema(Schema):
    items = fields.List(fields.Nested(ListEntrySchema))


class MemberSchema(Schema):
    """A member as the members page shows them to every member."""

    id = fields.Integer()
    name = fields.String(attribute="user.display_name")
    email = fields.String(attribute="user.email")
    role = fields.String(metadata={"description": "admin or member."})
    active = fields.Boolean(metadata={"description": "False: deactivated (left)."})


class MembersSchema(Schema):
    items = fields.List(fields.Nested(MemberSchema))
