"""/api/v1/contacts: list, read, create, update and delete contacts.

As for third parties (tiers.py), nothing here decides what a valid contact is: the list
is the contacts page's (its search, its third-party filter, its order by name), a write
goes through the page's form (a first or last name, the email and phone checks, a third
party of the company), a deletion through the page's rule and the trash.
"""

from __future__ import annotations

from flask import url_for
from werkzeug.exceptions import NotFound

from ct.blueprints.api import common as api
from ct.blueprints.api import contacts_bp as bp
from ct.blueprints.api.schemas import (
    ContactPageSchema,
    ContactQuerySchema,
    ContactSchema,
    ContactWriteSchema,
)
from ct.blueprints.contacts.forms import ContactForm
from ct.blueprints.contacts.routes import ORDER, contacts_page
from ct.core.pagination import cursor_clause
from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, require_right
from ct.core.search import MAX_QUERY
from ct.core.tenancy import find
from ct.models import Contact, Tiers
from ct.records.trash import trash_contact

WRITTEN = tuple(ContactWriteSchema().fields)  # the fields a PATCH may change
NOT_FOUND, STALE, FORBIDDEN = api.record_answers(bp, "contact")


def _dump(contact: Contact) -> dict:
    return ContactSchema().dump(contact)


def _form(values: dict, _contact: Contact | None) -> ContactForm:
    """The page's form, filled from JSON values instead of a posted form."""
    return ContactForm(formdata=api.form_data(values), meta={"csrf": False})


@bp.get("/")
@bp.arguments(ContactQuerySchema, location="query", as_kwargs=True)
@bp.response(200, ContactPageSchema)
@api.problem_answer(bp, 404, "The `tiers` filter names no third party of the company.")
def list_contacts(q, tiers, dir, cursor, limit):  # noqa: A002 — the query's name
    """Contacts by name, one page at a time (keyset pagination: pass `next` as `cursor`)."""
    chosen = None
    if tiers is not None:  # as on the page: another company's third party is a 404
        chosen = find(Tiers, tiers)
        if chosen is None:
            raise NotFound()
    if cursor and cursor_clause(ORDER, cursor) is None:
        raise api.bad_cursor()
    page = contacts_page(q.strip()[:MAX_QUERY], chosen, cursor, limit, dir == "desc")
    return api.page_answer(page, _dump)


@bp.get("/<int:contact_id>")
@api.record_response(bp, ContactSchema)
@NOT_FOUND
def get_contact(contact_id: int):
    """One contact; its ETag goes in If-Match to update it safely."""
    return api.tagged(_dump(api.one_or_404(Contact, contact_id)))


@bp.post("/")
@bp.arguments(ContactWriteSchema)
@api.created_response(bp, ContactSchema)
@FORBIDDEN
@require_right(MANAGE_RECORDS)
def create_contact(values: dict):
    """Create a contact. Send an Idempotency-Key header to retry safely: a retry with
    the same key gets the first answer, and makes no second record."""
    return api.create_with_form(
        Contact, _form, values, _dump,
        lambda c: url_for("api_contacts.get_contact", contact_id=c.id))


@bp.patch("/<int:contact_id>")
@bp.arguments(ContactWriteSchema)
@api.record_response(bp, ContactSchema)
@FORBIDDEN
@NOT_FOUND
@STALE
@require_right(MANAGE_RECORDS)
def update_contact(values: dict, contact_id: int):
    """Change some fields; with If-Match (the ETag read), a stale change is refused (412)."""
    return api.update_with_form(Contact, contact_id, _form, values, _dump, WRITTEN)


@bp.delete("/<int:contact_id>")
@bp.response(204)
@FORBIDDEN
@NOT_FOUND
@STALE
@require_right(DELETE_TIERS)
def delete_contact(contact_id: int):
    """Move a contact to the trash (restorable for 30 days), as its page does: the
    exchanges and events it was on stay, without it. Needs the right to delete."""
    return api.delete_record(Contact, contact_id, _dump, trash_contact)
