"""List, create and edit third parties."""

from __future__ import annotations

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ct.blueprints.tiers import bp
from ct.blueprints.tiers.forms import KIND_LABELS, EditTiersForm, TiersForm
from ct.blueprints.tiers.listing import ListFilters, tenant_has_tiers, tiers_page
from ct.core.permissions import MANAGE_RECORDS, can, require_right
from ct.extensions import db
from ct.models import Membership, Tiers
from ct.web.htmx import redirect_to, render
from ct.web.lookups import get_or_404


@bp.get("/")
def index():
    members = Membership.all_active()
    filters = ListFilters.from_args(request.args, {m.id for m in members})
    page = tiers_page(filters)
    # Only an empty page needs to know whether the tenant has any tiers at all.
    has_any = bool(page.items) or (filters.is_narrowed and tenant_has_tiers())
    return render("tiers/list.html", block="results", filters=filters, page=page,
                  members=members, kind_labels=KIND_LABELS, has_any=has_any,
                  may_manage=can(MANAGE_RECORDS))


def _form_page(form, tiers: Tiers | None = None, duplicates=(), status: int = 200):
    return render("tiers/form.html", block="form", form=form, tiers=tiers,
                  duplicates=duplicates, kind_labels=KIND_LABELS, status=status)


def _saved(form, tiers: Tiers) -> bool:
    """Commit; False when the database refuses the customer code (saved meanwhile)."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.code_taken()
        return False
    return True


@bp.route("/new", methods=["GET", "POST"])
@require_right(MANAGE_RECORDS)
def new():
    form = TiersForm()
    if not form.is_submitted():
        return _form_page(form)
    if not form.validate():
        return _form_page(form, status=422)
    if form.confirm_duplicate.data != "1":
        duplicates = Tiers.possible_duplicates(form.name.data, form.email.data)
        if duplicates:
            # Nothing written: the user opens one of them or confirms.
            return _form_page(form, duplicates=duplicates)
    tiers = Tiers(created_by_id=g.membership.id)
    form.fill(tiers)
    db.session.add(tiers)
    if not _saved(form, tiers):
        return _form_page(form, status=422)
    flash(_("Third party “%(name)s” created.", name=tiers.name), "success")
    return redirect_to(url_for("tiers.card", tiers_id=tiers.id))


@bp.route("/<int:tiers_id>/edit", methods=["GET", "POST"])
@require_right(MANAGE_RECORDS)
def edit(tiers_id: int):
    tiers = get_or_404(Tiers, tiers_id)
    form = EditTiersForm(tiers=tiers)
    if not form.is_submitted():
        return _form_page(form, tiers)
    if not form.validate():
        return _form_page(form, tiers, status=422)
    form.fill(tiers)
    if not _saved(form, tiers):
        return _form_page(form, get_or_404(Tiers, tiers_id), status=422)  # rollback expired it
    flash(_("Third party “%(name)s” saved.", name=tiers.name), "success")
    return redirect_to(url_for("tiers.card", tiers_id=tiers.id))
