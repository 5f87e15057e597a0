"""/api/v1/tiers: list, read, create, update and delete third parties.

Nothing here decides what a valid third party is or when one may be deleted: the list
uses the list page's filters (ct.blueprints.tiers.listing), a write goes through the
page's own form (its checks, messages and members' ids), a deletion through the page's
rule (no linked records) and the trash.
"""

from __future__ import annotations

import hashlib

from flask import Response, g, json, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import Conflict, NotFound, PreconditionFailed, UnprocessableEntity

from ct.blueprints.api import tiers_bp as bp
from ct.blueprints.api.idempotency import remember, replay_or_none
from ct.blueprints.api.schemas import (
    ProblemSchema,
    TiersPageSchema,
    TiersQuerySchema,
    TiersSchema,
    TiersUpdateSchema,
    TiersWriteSchema,
)
from ct.blueprints.tiers.forms import EditTiersForm, TiersForm
from ct.blueprints.tiers.listing import ListFilters, cursor_is_valid, tiers_page
from ct.blueprints.tiers.records import linked_counts
from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, require_right
from ct.extensions import db
from ct.models import Membership, Tiers
from ct.records.trash import trash_tiers
from ct.web.problems import PROBLEM_TYPE

WRITTEN = tuple(TiersUpdateSchema().fields)  # the fields a PATCH may change


def problem_answer(status: int, description: str):
    """Document an error answer of a route (the default answer covers the others)."""
    return bp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_TYPE,
                           description=description)


NOT_FOUND = problem_answer(404, "No such third party in the token's company.")
STALE = problem_answer(412, "Changed since read: the If-Match ETag is stale.")
FORBIDDEN = problem_answer(403, "The token's member lacks the right.")


def _json(data, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(data), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def _dump(tiers: Tiers) -> dict:
    return TiersSchema().dump(tiers)


def etag(data: dict) -> str:
    """A strong validator of the representation: any change of any field changes it."""
    raw = json.dumps(data, sort_keys=True).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def _one(tiers_id: int, for_update: bool = False) -> Tiers:
    query = select(Tiers).where(Tiers.id == tiers_id)
    if for_update:
        query = query.with_for_update()  # the If-Match check and the write, one at a time
    tiers = db.session.scalar(query)
    if tiers is None:
        raise NotFound()
    return tiers


def _check_if_match(current: dict) -> None:
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return
    if etag(current) not in {tag.strip() for tag in wanted.split(",")}:
        raise PreconditionFailed()


def _form(values: dict, tiers: Tiers | None = None):
    """The page's form, filled from JSON values instead of a posted form."""
    data = MultiDict()
    for name, value in values.items():
        if name == "kinds":
            for kind in value or ():
                data.add("kinds", kind)
        elif value is True:
            data.add(name, "y")
        elif value not in (None, False):
            data.add(name, str(value))
    form_class = TiersForm if tiers is None else EditTiersForm
    return form_class(formdata=data, tiers=tiers, meta={"csrf": False})


def _invalid(errors: dict) -> UnprocessableEntity:
    return _invalid_in("json", errors)


def _invalid_in(location: str, errors: dict) -> UnprocessableEntity:
    error = UnprocessableEntity()
    error.data = {"errors": {location: {name: [str(m) for m in messages]
                                        for name, messages in errors.items()}}}
    return error


def _code_taken() -> UnprocessableEntity:
    return _invalid({"customer_code": ["Another third party already has this customer code."]})


def _saved() -> None:
    """Commit; the database refuses a customer code saved meanwhile: a field error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _code_taken() from None


@bp.get("/")
@bp.arguments(TiersQuerySchema, location="query", as_kwargs=True)
@bp.response(200, TiersPageSchema)
def list_tiers(cursor, limit, **filters):
    """Third parties, one page at a time (keyset pagination: pass `next` as `cursor`)."""
    members = {member_id for member_id, _name in Membership.names()}
    args = {name: str(value) for name, value in filters.items() if value not in (None, "")}
    if cursor:
        args["after"] = cursor
    chosen = ListFilters.from_args(args, members)
    if not cursor_is_valid(chosen):
        raise _invalid_in("query", {"cursor": ["Not a cursor of this list: pass `next` as is."]})
    page = tiers_page(chosen, per_page=limit)
    return _json({"items": [_dump(t) for t in page.items], "next": page.next_cursor})


@bp.get("/<int:tiers_id>")
@bp.response(200, TiersSchema, headers={"ETag": {"schema": {"type": "string"}}})
@NOT_FOUND
def get_tiers(tiers_id: int):
    """One third party; its ETag goes in If-Match to update it safely."""
    data = _dump(_one(tiers_id))
    return _json(data, headers={"ETag": etag(data)})


@bp.post("/")
@bp.arguments(TiersWriteSchema)
@bp.response(201, TiersSchema)
@FORBIDDEN
@require_right(MANAGE_RECORDS)
def create_tiers(values: dict):
    """Create a third party. Send an Idempotency-Key header to retry safely: a retry
    with the same key gets the first answer, and makes no second record."""
    replay = replay_or_none()
    if replay is not None:
        return replay
    form = _form(values)
    if not form.validate():
        raise _invalid(form.errors)
    tiers = Tiers(created_by_id=g.membership.id)
    form.fill(tiers)
    db.session.add(tiers)
    db.session.flush()
    data = _dump(tiers)
    location = url_for("api_tiers.get_tiers", tiers_id=tiers.id)
    remember(201, data, location)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # A retry with the same key that raced this one and stored its answer first,
        # else a customer code saved meanwhile.
        replay = replay_or_none()
        if replay is not None:
            return replay
        raise _code_taken() from None
    return _json(data, 201, {"Location": location, "ETag": etag(data)})


@bp.patch("/<int:tiers_id>")
@bp.arguments(TiersUpdateSchema)
@bp.response(200, TiersSchema)
@FORBIDDEN
@NOT_FOUND
@STALE
@require_right(MANAGE_RECORDS)
def update_tiers(values: dict, tiers_id: int):
    """Change some fields; with If-Match (the ETag read), a stale change is refused (412)."""
    tiers = _one(tiers_id, for_update=True)
    current = _dump(tiers)
    _check_if_match(current)
    merged = {name: current.get(name) for name in WRITTEN} | values
    form = _form(merged, tiers)
    if not form.validate():
        raise _invalid(form.errors)
    form.fill(tiers)
    _saved()
    data = _dump(_one(tiers_id))
    return _json(data, headers={"ETag": etag(data)})


@bp.delete("/<int:tiers_id>")
@bp.response(204)
@FORBIDDEN
@NOT_FOUND
@STALE
@problem_answer(409, "The third party still has linked records.")
@require_right(DELETE_TIERS)
def delete_tiers(tiers_id: int):
    """Move a third party to the trash (restorable for 30 days), as its page does; one
    with contacts, documents, projects, events or exchanges is refused (409)."""
    tiers = _one(tiers_id, for_update=True)
    _check_if_match(_dump(tiers))
    if linked_counts(tiers).total:
        error = Conflict()
        error.data = {"detail": "This third party still has linked records (contacts, "
                                "documents, projects, events or exchanges)."}
        raise error
    trash_tiers(tiers, g.membership)
    db.session.commit()
    return Response(status=204)
