"""What every record endpoint of the API does the same way: JSON answers and their ETag,
If-Match, field errors as the page's form gives them, keyset cursors checked, a create
kept with its Idempotency-Key, a record read in the token's company or 404.

The record modules (tiers.py, contacts.py…) only say which form, rule and trash they use.

Times follow one convention (ct.core.zone): an instant is read with the company's
offset, and a time written without an offset is the company's wall-clock time, as its
forms read it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime

from flask import Response, g, json, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound, PreconditionFailed, UnprocessableEntity

from ct.blueprints.api.idempotency import remember, replay_or_none
from ct.blueprints.api.schemas import ProblemSchema
from ct.core.pagination import Page
from ct.core.zone import company_zone, to_local
from ct.extensions import db
from ct.web.fields import YEAR_MAX, YEAR_MIN
from ct.web.problems import PROBLEM_TYPE

# The headers of a record's answers, documented (the contract test checks them).
ETAG_HEADER = {"ETag": {"description": "The record's version: send it in If-Match to "
                                       "change or delete it safely.",
                        "required": True, "schema": {"type": "string"}}}
LOCATION_HEADER = {"Location": {"description": "The new record's address.",
                                "required": True, "schema": {"type": "string"}}}
# A first answer has its ETag; a replayed one (Idempotency-Key) is the stored answer.
CREATED_HEADERS = {**LOCATION_HEADER,
                   "ETag": {**ETAG_HEADER["ETag"], "required": False}}


def problem_answer(bp, status: int, description: str):
    """Document an error answer of a route (the default answer covers the others)."""
    return bp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_TYPE,
                           description=description)


def record_response(bp, schema):
    """The 200 answer of a read or an update: the record, with its ETag."""
    return bp.response(200, schema, headers=ETAG_HEADER)


def created_response(bp, schema):
    """The 201 answer of a create: the record, its Location and its ETag."""
    return bp.response(201, schema, headers=CREATED_HEADERS)


def moment(value: datetime | None) -> str | None:
    """An instant as ISO 8601 with the company's offset."""
    return value.astimezone(company_zone()).isoformat() if value else None


def wall_clock(value: date | datetime | None) -> str | None:
    """A date or time sent to the API as a page's form reads it: with an offset, the
    company's wall-clock time; a date stays a date. A year the forms refuse is passed
    as sent (the form says so; converting it could overflow)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and YEAR_MIN <= value.year <= YEAR_MAX:
            value = to_local(value)
        return value.isoformat(timespec="seconds")
    return value.isoformat() if value is not None else None


def json_answer(data, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(data), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def etag(data: dict) -> str:
    """A strong validator of the representation: any change of any field changes it."""
    raw = json.dumps(data, sort_keys=True).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def tagged(data: dict, status: int = 200, headers: dict | None = None) -> Response:
    """A record's representation with its ETag (for If-Match)."""
    return json_answer(data, status, {**(headers or {}), "ETag": etag(data)})


def page_answer(page: Page, dump: Callable) -> Response:
    return json_answer({"items": [dump(row) for row in page.items], "next": page.next_cursor})


def one_or_404(model, record_id: int, *options, for_update: bool = False):
    """The record of the token's company (row scoping: another company's is not found)."""
    query = select(model).where(model.id == record_id).options(*options)
    if for_update:
        query = query.with_for_update()  # the If-Match check and the write, one at a time
    record = db.session.scalar(query)
    if record is None:
        raise NotFound()
    return record


def check_if_match(current: dict) -> None:
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return
    if etag(current) not in {tag.strip() for tag in wanted.split(",")}:
        raise PreconditionFailed()


def invalid(errors: dict, location: str = "json") -> UnprocessableEntity:
    """Field errors (a form's or ours) as the problem's ``errors``."""
    error = UnprocessableEntity()
    error.data = {"errors": {location: {name: [str(m) for m in messages]
                                        for name, messages in errors.items()}}}
    return error


def bad_cursor() -> UnprocessableEntity:
    """A cursor altered or of another sort: said, not a silent first page a client
    would loop on."""
    return invalid({"cursor": ["Not a cursor of this list: pass `next` as is."]}, "query")


def form_data(values: dict) -> MultiDict:
    """JSON values as a page's form would post them: a list as repeated fields, true as
    a checked box, false and null as nothing."""
    data = MultiDict()
    for name, value in values.items():
        if isinstance(value, list):
            for item in value:
                data.add(name, str(item))
        elif value is True:
            data.add(name, "y")
        elif value not in (None, False):
            data.add(name, str(value))
    return data


def merged(current: dict, written: tuple[str, ...], values: dict) -> dict:
    """A PATCH: the record's writable fields as they are, with the ones sent."""
    return {name: current.get(name) for name in written} | values


def created(record, dump: Callable, location_of: Callable,
            conflict: Callable[[], Exception] | None = None) -> Response:
    """Save a new record with the answer kept under its Idempotency-Key (same
    transaction); a retry that raced this one and stored its answer first gets it,
    else ``conflict()`` says what the database refused (a unique field)."""
    db.session.add(record)
    db.session.flush()
    data = dump(record)
    location = location_of(record)
    remember(201, data, location)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        replay = replay_or_none()
        if replay is not None:
            return replay
        if conflict is None:
            raise
        raise conflict() from None
    return tagged(data, 201, {"Location": location})


def record_answers(bp, what: str):
    """The error answers of a record's routes, documented: (404, 412, 403)."""
    return (problem_answer(bp, 404, f"No such {what} in the token's company."),
            problem_answer(bp, 412, "Changed since read: the If-Match ETag is stale."),
            problem_answer(bp, 403, "The token's member lacks the right."))


def create_with_form(model, make_form: Callable, values: dict, dump: Callable,
                     location_of: Callable, conflict: Callable | None = None) -> Response:
    """POST: the stored answer of a retry with the same Idempotency-Key, else the page's
    form checks ``values`` and the record is made by the token's member."""
    replay = replay_or_none()
    if replay is not None:
        return replay
    form = make_form(values, None)
    if not form.validate():
        raise invalid(form.errors)
    record = model(created_by_id=g.membership.id)
    form.fill(record)
    return created(record, dump, location_of, conflict)


def update_with_form(model, record_id: int, make_form: Callable, values: dict,
                     dump: Callable, written: tuple[str, ...],
                     save: Callable[[], None] | None = None,
                     as_written: Callable | None = None) -> Response:
    """PATCH: the fields sent over the record's own, checked by the page's form; a
    stale If-Match is a 412 and nothing is written. ``as_written(record)`` gives the
    record's fields as a client writes them, when its representation differs."""
    record = one_or_404(model, record_id, for_update=True)
    current = dump(record)
    check_if_match(current)
    form = make_form(merged(as_written(record) if as_written else current, written, values),
                     record)
    if not form.validate():
        raise invalid(form.errors)
    form.fill(record)
    (save or db.session.commit)()
    return tagged(dump(one_or_404(model, record_id)))


def delete_record(model, record_id: int, dump: Callable, remove: Callable,
                  refuse: Callable | None = None) -> Response:
    """DELETE, after If-Match and the page's own refusal (``refuse(record)`` raises):
    ``remove(record, member)`` does what the page does (to the trash, restorable, or
    for good)."""
    record = one_or_404(model, record_id, for_update=True)
    check_if_match(dump(record))
    if refuse is not None:
        refuse(record)
    remove(record, g.membership)
    db.session.commit()
    return Response(status=204)
