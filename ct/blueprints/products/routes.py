"""Products: searchable list, card, create, edit, delete."""

from __future__ import annotations

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ct.blueprints.products import bp
from ct.blueprints.products.forms import DUPLICATE, ProductForm
from ct.blueprints.settings.options import set_products
from ct.core.pagination import keyset_page
from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, require_right
from ct.core.search import MAX_QUERY
from ct.core.text import like_escaped
from ct.exchanges.links import exchanges_naming_product
from ct.extensions import db
from ct.models import Product, TenantSettings
from ct.web.htmx import redirect_to, render
from ct.web.lookups import get_or_404
from ct.web.record_fields import format_amount

PER_PAGE = 25
# ?sort= → the columns of the keyset (each backed by a (tenant_id, column) index).
SORTS = {"label": (Product.label, False), "-label": (Product.label, True),
         "reference": (Product.reference, False), "-reference": (Product.reference, True)}
ACTIVE_FILTERS = ("active", "inactive", "all")


@bp.context_processor
def _template_helpers():
    return {"MANAGE_RECORDS": MANAGE_RECORDS, "DELETE_TIERS": DELETE_TIERS,
            "format_amount": format_amount}


def _contains(text: str) -> str:
    escaped = like_escaped(text)
    return f"%{escaped}%"


@bp.get("/")
def index():
    q = " ".join((request.args.get("q") or "").split())[:MAX_QUERY]
    active = request.args.get("active")
    active = active if active in ACTIVE_FILTERS else "active"
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "label"
    column, descending = SORTS[sort]

    query = select(Product)
    if active != "all":
        query = query.where(Product.active.is_(active == "active"))
    if q:
        pattern = _contains(q)
        query = query.where(or_(Product.reference.ilike(pattern, escape="\\"),
                                Product.label.ilike(pattern, escape="\\")))
    page = keyset_page(query, [column, Product.id], request.args.get("cursor"), PER_PAGE,
                       descending=descending)
    filters = {"q": q or None, "active": None if active == "active" else active,
               "sort": None if sort == "label" else sort}
    filters = {key: value for key, value in filters.items() if value}
    return render("products/index.html", block="results", page=page, q=q, active=active,
                  sort=sort, filters=filters)


@bp.get("/<int:product_id>")
def show(product_id: int):
    return render("products/show.html", product=get_or_404(Product, product_id))


def _form_page(form: ProductForm, status: int = 200):
    return render("products/form.html", block="form", status=status, form=form,
                  product=form.product)


def _save(form: ProductForm, product: Product):
    """Commit, or the form again when another request took the reference meanwhile."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.reference.errors.append(DUPLICATE)
        return _form_page(form, 422)
    flash(_("Product %(reference)s saved.", reference=product.reference), "success")
    return redirect_to(url_for("products.show", product_id=product.id))


@bp.get("/new")
@require_right(MANAGE_RECORDS)
def new():
    return _form_page(ProductForm())


@bp.post("/new")
@require_right(MANAGE_RECORDS)
def create():
    form = ProductForm()
    if not form.validate_on_submit():
        return _form_page(form, 422)
    product = Product()
    form.fill(product)
    db.session.add(product)
    return _save(form, product)


@bp.get("/<int:product_id>/edit")
@require_right(MANAGE_RECORDS)
def edit(product_id: int):
    return _form_page(ProductForm(product=get_or_404(Product, product_id)))


@bp.post("/<int:product_id>/edit")
@require_right(MANAGE_RECORDS)
def update(product_id: int):
    form = ProductForm(product=get_or_404(Product, product_id))
    if not form.validate_on_submit():
        return _form_page(form, 422)
    form.fill(form.product)
    return _save(form, form.product)


def _delete_page(product: Product, status: int = 200):
    return render("products/delete.html", product=product, status=status,
                  exchanges=exchanges_naming_product(product.id),
                  in_form=product.id in (TenantSettings.current().product_ids or []))


@bp.get("/<int:product_id>/delete")
@require_right(DELETE_TIERS)
def confirm_delete(product_id: int):
    return _delete_page(get_or_404(Product, product_id))


@bp.post("/<int:product_id>/delete")
@require_right(DELETE_TIERS)
def delete_product(product_id: int):
    product = get_or_404(Product, product_id)
    if exchanges_naming_product(product.id):
        # The exchanges would forget which products were discussed: refuse, offer to
        # make it inactive.
        return _delete_page(product, 409)
    reference = product.reference
    chosen = list(TenantSettings.current().product_ids or [])
    if product.id in chosen:  # no dead id left in the exchange form's list
        set_products([i for i in chosen if i != product.id], g.membership)
    db.session.delete(product)
    db.session.commit()
    flash(_("Product %(reference)s deleted.", reference=reference), "success")
    return redirect_to(url_for("products.index"))
