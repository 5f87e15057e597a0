"""What every record endpoint of the API does the same way: JSON answers and their ETag,
If-Match, field errors as the page's form gives them, keyset cursors checked, a create
kept with its Idempotency-Key, a record read in the token's company or 404.

The record modules (tiers.py, contacts.py) only say which form, rule and trash they use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Response, g, json, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound, PreconditionFailed, UnprocessableEntity

from ct.blueprints.api.idempotency import remember, replay_or_none
from ct.blueprints.api.schemas import ProblemSchema
from ct.core.pagination import Page
from ct.extensions import db
from ct.web.problems import PROBLEM_TYPE


def problem_answer(bp, status: int, description: str):
    """Document an error answer of a route (the default answer covers the others)."""
    return bp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_TYPE,
                           description=description)


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
                     save: Callable[[], None] | None = None) -> Response:
    """PATCH: the fields sent over the record's own, checked by the page's form; a
    stale If-Match is a 412 and nothing is written."""
    record = one_or_404(model, record_id, for_update=True)
    current = dump(record)
    check_if_match(current)
    form = make_form(merged(current, written, values), record)
    if not form.validate():
        raise invalid(form.errors)
    form.fill(record)
    (save or db.session.commit)()
    return tagged(dump(one_or_404(model, record_id)))


def delete_to_trash(model, record_id: int, dump: Callable, trash: Callable,
                    refuse: Callable | None = None) -> Response:
    """DELETE: the record to the trash (restorable), after If-Match and the page's own
    refusal (``refuse(record)`` raises), as its page does."""
    record = one_or_404(model, record_id, for_update=True)
    check_if_match(dump(record))
    if refuse is not None:
        refuse(record)
    trash(record, g.membership)
    db.session.commit()
    return Response(status=204)
