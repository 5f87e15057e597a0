"""Documents (quotes, orders, invoices…): filtered list, card, create, edit, delete."""

from __future__ import annotations

from flask import abort, flash, g, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ct.blueprints.documents import bp
from ct.blueprints.documents.forms import DUPLICATE, STATUS_LABELS, DocumentForm, document_kinds
from ct.blueprints.exchange_list.routes import NO_FILTERS, history_context
from ct.core.ids import parse_id
from ct.core.pagination import keyset_page
from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, require_right
from ct.core.search import MAX_QUERY
from ct.core.text import like_escaped
from ct.exchanges.links import exchanges_naming_document
from ct.extensions import db
from ct.models import Document, Tiers
from ct.web.htmx import is_htmx_request, redirect_to, render
from ct.web.lookups import get_or_404, id_from_query_or_404
from ct.web.record_fields import format_amount, tiers_options

PER_PAGE = 25


@bp.context_processor
def _template_helpers():
    return {"MANAGE_RECORDS": MANAGE_RECORDS, "DELETE_TIERS": DELETE_TIERS,
            "format_amount": format_amount,
            "document_status_labels": STATUS_LABELS}


def _contains(text: str) -> str:
    escaped = like_escaped(text)
    return f"%{escaped}%"


@bp.get("/")
def index():
    q = " ".join((request.args.get("q") or "").split())[:MAX_QUERY]
    kinds = document_kinds()
    kind_id = id_from_query_or_404("kind")
    if kind_id is not None and kind_id not in {kind.id for kind in kinds}:
        abort(404)
    tiers_id = id_from_query_or_404("tiers")
    tiers = get_or_404(Tiers, tiers_id) if tiers_id is not None else None
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    oldest_first = request.args.get("sort") == "date"

    query = select(Document).options(joinedload(Document.tiers), joinedload(Document.kind))
    if kind_id is not None:
        query = query.where(Document.kind_id == kind_id)
    if tiers is not None:
        query = query.where(Document.tiers_id == tiers.id)
    if status is not None:
        query = query.where(Document.status == status)
    if q:
        pattern = _contains(q)
        query = query.where(or_(Document.reference.ilike(pattern, escape="\\"),
                                Document.description.ilike(pattern, escape="\\")))
    page = keyset_page(query, [Document.date, Document.id], request.args.get("cursor"),
                       PER_PAGE, descending=not oldest_first)
    filters = {"q": q, "kind": kind_id, "tiers": tiers_id, "status": status,
               "sort": "date" if oldest_first else None}
    filters = {key: value for key, value in filters.items() if value}
    # The third-party filter's options only for the full page, not for each keystroke.
    options, many = ([], False) if is_htmx_request() else tiers_options(tiers_id)
    return render("documents/index.html", block="results", page=page, q=q, kinds=kinds,
                  tiers=tiers, filters=filters, oldest_first=oldest_first,
                  tiers_choices=options, many_tiers=many)


@bp.get("/<int:document_id>")
def show(document_id: int):
    document = get_or_404(Document, document_id)
    return render("documents/show.html", document=document,
                  **history_context("document", document, NO_FILTERS))


def _form_page(form: DocumentForm, status: int = 200):
    selected = parse_id(form.tiers_id.data)
    options, many = tiers_options(selected)
    return render("documents/form.html", block="form", status=status, form=form,
                  document=form.document, tiers_choices=options, tiers_selected=selected,
                  many_tiers=many, tiers_blank="choose")


def _save(form: DocumentForm, document: Document):
    """Commit, or the form again when another request took the reference meanwhile."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # The unique (tenant, kind, reference) refused it: a clear field error, not a 500.
        if form.reference_taken():
            form.reference.errors.append(DUPLICATE)
        else:
            form.tiers_id.errors.append(_("Choose an existing third party."))
        return _form_page(form, 422)
    flash(_("Document %(reference)s saved.", reference=document.reference), "success")
    return redirect_to(url_for("documents.show", document_id=document.id))


@bp.get("/new")
@require_right(MANAGE_RECORDS)
def new():
    # From a tiers card: ?tiers=<id> (and ?kind=<id>) preselect; unknown ids are ignored.
    return _form_page(DocumentForm(tiers_id=parse_id(request.args.get("tiers")),
                                   kind_id=parse_id(request.args.get("kind"))))


@bp.post("/new")
@require_right(MANAGE_RECORDS)
def create():
    form = DocumentForm()
    if not form.validate_on_submit():
        return _form_page(form, 422)
    document = Document(created_by_id=g.membership.id)
    form.fill(document)
    db.session.add(document)
    return _save(form, document)


@bp.get("/<int:document_id>/edit")
@require_right(MANAGE_RECORDS)
def edit(document_id: int):
    return _form_page(DocumentForm(document=get_or_404(Document, document_id)))


@bp.post("/<int:document_id>/edit")
@require_right(MANAGE_RECORDS)
def update(document_id: int):
    form = DocumentForm(document=get_or_404(Document, document_id))
    if not form.validate_on_submit():
        return _form_page(form, 422)
    form.fill(form.document)
    return _save(form, form.document)


@bp.get("/<int:document_id>/delete")
@require_right(DELETE_TIERS)
def confirm_delete(document_id: int):
    document = get_or_404(Document, document_id)
    return render("documents/delete.html", document=document,
                  exchanges=exchanges_naming_document(document.id))


@bp.post("/<int:document_id>/delete")
@require_right(DELETE_TIERS)
def delete_document(document_id: int):
    document = get_or_404(Document, document_id)
    exchanges = exchanges_naming_document(document.id)
    if exchanges:
        # Its exchanges would lose what they were about: refuse, say why.
        return render("documents/delete.html", document=document, exchanges=exchanges,
                      status=409)
    reference = document.reference
    db.session.delete(document)
    db.session.commit()
    flash(_("Document %(reference)s deleted.", reference=reference), "success")
    return redirect_to(url_for("documents.index"))
