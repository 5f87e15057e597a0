"""Contacts: the list searched as you type, the card, create, edit and delete."""

from __future__ import annotations

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ct.blueprints.contacts import bp
from ct.blueprints.contacts.forms import ContactForm
from ct.blueprints.exchange_list.routes import NO_FILTERS, history_context
from ct.core.ids import parse_id
from ct.core.pagination import Page, keyset_page
from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, require_right
from ct.core.search import MAX_QUERY, matching
from ct.core.text import fold, like_pattern, prefix_pattern
from ct.extensions import db
from ct.models import Contact, EventContact, ExchangeContact, Tiers
from ct.records.trash import trash_contact
from ct.web.htmx import redirect_to, render
from ct.web.lookups import from_query_or_404, get_or_404
from ct.web.record_fields import tiers_options
from ct.web.timeline import timeline_fragment, timeline_view

PER_PAGE = 25


@bp.context_processor
def _template_helpers():
    return {"MANAGE_RECORDS": MANAGE_RECORDS, "DELETE_TIERS": DELETE_TIERS}


def _matching_text(query, q: str):
    """Same rule as the autocomplete: short queries match the start of the name (sort
    index), longer ones anywhere in the folded text (trigram index on PostgreSQL)."""
    folded = fold(q)[:MAX_QUERY]
    if not folded:
        return query
    if len(folded) < 3:
        return query.where(Contact.sort_key.like(prefix_pattern(folded), escape="\\"))
    return query.where(Contact.search_text.like(like_pattern(folded), escape="\\"))


ORDER = [Contact.sort_key, Contact.id]  # by name; the order of the pages' cursors


def contacts_page(q: str, tiers: Tiers | None, cursor: str | None, per_page: int,
                  descending: bool = False) -> Page:
    """One page of the list (the page's filters; the REST API's too)."""
    query = select(Contact).options(joinedload(Contact.tiers))
    if tiers is not None:
        query = query.where(Contact.tiers_id == tiers.id)
    query = _matching_text(query, q)
    return keyset_page(query, ORDER, cursor, per_page, descending=descending)


@bp.get("/")
def index():
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    tiers = from_query_or_404(Tiers, "tiers")
    descending = request.args.get("sort") == "-name"
    page = contacts_page(q, tiers, request.args.get("cursor"), PER_PAGE, descending)
    filters = {"q": q or None, "tiers": tiers.id if tiers else None,
               "sort": "-name" if descending else None}
    filters = {key: value for key, value in filters.items() if value}
    return render("contacts/index.html", block="results", page=page, q=q, tiers=tiers,
                  descending=descending, filters=filters)


def _timeline_args(contact_id: int) -> dict:
    return dict(record_kind="contact", record_id=contact_id, args=request.args,
                page_endpoint="contacts.show", fragment_endpoint="contacts.timeline",
                id_arg="contact_id")


@bp.get("/<int:contact_id>")
def show(contact_id: int):
    """The card opens on the activity timeline (``?type=``, ``?before=`` as on its own)."""
    # Its tiers is on the card twice: read with the contact, one statement less.
    contact = get_or_404(Contact, contact_id, joinedload(Contact.tiers))
    return render("contacts/show.html", contact=contact,
                  timeline=timeline_view(**_timeline_args(contact.id)),
                  **history_context("contact", contact, NO_FILTERS))


@bp.get("/<int:contact_id>/timeline")
def timeline(contact_id: int):
    """The timeline alone: filtered, refreshed after a save, or its next entries."""
    contact = get_or_404(Contact, contact_id)
    return timeline_fragment(**_timeline_args(contact.id))


def _form_page(form: ContactForm, contact: Contact | None, status: int = 200):
    selected = parse_id(form.tiers_id.data)
    options, many = tiers_options(selected)
    return render("contacts/form.html", block="form", status=status, form=form,
                  contact=contact, tiers_choices=options, tiers_selected=selected,
                  many_tiers=many, tiers_blank="none")


@bp.get("/new")
@require_right(MANAGE_RECORDS)
def new():
    # "Add a contact" from a tiers card: ?tiers=<id> preselects it. An id the tenant
    # does not have is ignored here (the select will not offer it).
    return _form_page(ContactForm(tiers_id=parse_id(request.args.get("tiers"))), None)


@bp.post("/new")
@require_right(MANAGE_RECORDS)
def create():
    form = ContactForm()
    if not form.validate_on_submit():
        return _form_page(form, None, 422)
    contact = Contact(created_by_id=g.membership.id)
    form.fill(contact)
    db.session.add(contact)
    db.session.commit()
    flash(_("Contact %(name)s saved.", name=contact.full_name), "success")
    return redirect_to(url_for("contacts.show", contact_id=contact.id))


@bp.get("/<int:contact_id>/edit")
@require_right(MANAGE_RECORDS)
def edit(contact_id: int):
    contact = get_or_404(Contact, contact_id)
    return _form_page(ContactForm(obj=contact), contact)


@bp.post("/<int:contact_id>/edit")
@require_right(MANAGE_RECORDS)
def update(contact_id: int):
    contact = get_or_404(Contact, contact_id)
    form = ContactForm()
    if not form.validate_on_submit():
        return _form_page(form, contact, 422)
    form.fill(contact)
    db.session.commit()
    flash(_("Contact %(name)s saved.", name=contact.full_name), "success")
    return redirect_to(url_for("contacts.show", contact_id=contact.id))


def _links(contact: Contact, model) -> int:
    return db.session.scalar(select(func.count(model.id)).where(model.contact_id == contact.id))


@bp.get("/<int:contact_id>/delete")
@require_right(DELETE_TIERS)
def confirm_delete(contact_id: int):
    contact = get_or_404(Contact, contact_id)
    return render("contacts/delete.html", contact=contact,
                  events=_links(contact, EventContact), exchanges=_links(contact, ExchangeContact))


@bp.post("/<int:contact_id>/delete")
@require_right(DELETE_TIERS)
def delete_contact(contact_id: int):
    contact = get_or_404(Contact, contact_id)
    name = contact.full_name
    # The exchanges and agenda events stay; they just no longer list this person.
    trash_contact(contact, g.membership)
    db.session.commit()
    flash(_("Contact %(name)s moved to the trash for 30 days.", name=name), "success")
    return redirect_to(url_for("contacts.index"))


@bp.get("/tiers-options")
@require_right(MANAGE_RECORDS)
def tiers_search():
    """Options of a record form's third-party select when there are too many to list
    (contacts and documents forms), the 20 best matches of ?tiers_q=."""
    rows = db.session.execute(
        matching(select(Tiers.id, Tiers.name), Tiers.sort_key, Tiers.search_text,
                 (request.args.get("tiers_q") or "")[:MAX_QUERY])
    ).all()
    blank = "choose" if request.args.get("blank") == "choose" else "none"
    return render("_tiers_options.html", options=[(r.id, r.name) for r in rows],
                  selected=None, blank=blank)
