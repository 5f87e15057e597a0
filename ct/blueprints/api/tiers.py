"""/api/v1/tiers: list, read, create, update and delete third parties.

Nothing here decides what a valid third party is or when one may be deleted: the list
uses the list page's filters (ct.blueprints.tiers.listing), a write goes through the
page's own form (its checks, messages and members' ids), a deletion through the page's
rule (no linked records) and the trash.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict

from ct.blueprints.api import common as api
from ct.blueprints.api import tiers_bp as bp
from ct.blueprints.api.schemas import (
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

WRITTEN = tuple(TiersUpdateSchema().fields)  # the fields a PATCH may change
NOT_FOUND, STALE, FORBIDDEN = api.record_answers(bp, "third party")


def _dump(tiers: Tiers) -> dict:
    return TiersSchema().dump(tiers)


def _form(values: dict, tiers: Tiers | None):
    """The page's form, filled from JSON values instead of a posted form."""
    form_class = TiersForm if tiers is None else EditTiersForm
    return form_class(formdata=api.form_data(values), tiers=tiers, meta={"csrf": False})


def _code_taken():
    return api.invalid({"customer_code": [
        "Another third party already has this customer code."]})


def _saved() -> None:
    """Commit; the database refuses a customer code saved meanwhile: a field error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _code_taken() from None


def _refuse_if_linked(tiers: Tiers) -> None:
    if linked_counts(tiers).total:
        error = Conflict()
        error.data = {"detail": "This third party still has linked records (contacts, "
                                "documents, projects, events or exchanges)."}
        raise error


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
        raise api.bad_cursor()
    return api.page_answer(tiers_page(chosen, per_page=limit), _dump)


@bp.get("/<int:tiers_id>")
@api.record_response(bp, TiersSchema)
@NOT_FOUND
def get_tiers(tiers_id: int):
    """One third party; its ETag goes in If-Match to update it safely."""
    return api.tagged(_dump(api.one_or_404(Tiers, tiers_id)))


@bp.post("/")
@bp.arguments(TiersWriteSchema)
@api.created_response(bp, TiersSchema)
@FORBIDDEN
@require_right(MANAGE_RECORDS)
def create_tiers(values: dict):
    """Create a third party. Send an Idempotency-Key header to retry safely: a retry
    with the same key gets the first answer, and makes no second record."""
    return api.create_with_form(Tiers, _form, values, _dump,
                                lambda t: url_for("api_tiers.get_tiers", tiers_id=t.id),
                                _code_taken)


@bp.patch("/<int:tiers_id>")
@bp.arguments(TiersUpdateSchema)
@api.record_response(bp, TiersSchema)
@FORBIDDEN
@NOT_FOUND
@STALE
@require_right(MANAGE_RECORDS)
def update_tiers(values: dict, tiers_id: int):
    """Change some fields; with If-Match (the ETag read), a stale change is refused (412)."""
    return api.update_with_form(Tiers, tiers_id, _form, values, _dump, WRITTEN, _saved)


@bp.delete("/<int:tiers_id>")
@bp.response(204)
@FORBIDDEN
@NOT_FOUND
@STALE
@api.problem_answer(bp, 409, "The third party still has linked records.")
@require_right(DELETE_TIERS)
def delete_tiers(tiers_id: int):
    """Move a third party to the trash (restorable for 30 days), as its page does; one
    with contacts, documents, projects, events or exchanges is refused (409)."""
    return api.delete_record(Tiers, tiers_id, _dump, trash_tiers, _refuse_if_linked)
