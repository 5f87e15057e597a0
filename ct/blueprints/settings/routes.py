"""The options of the module and the products of the exchange form."""

from flask import flash, g, render_template, request, url_for
from flask_babel import gettext as _

from ct.blueprints.settings import bp, options
from ct.blueprints.settings.forms import ProductPickForm, SettingsForm
from ct.blueprints.settings.page import TEMPLATE, full_page, picker, picker_answer
from ct.core.permissions import MANAGE_SETTINGS, require_right
from ct.core.search import MAX_QUERY
from ct.extensions import db
from ct.models import TenantSettings
from ct.web.htmx import is_htmx_request, redirect_to, render


@bp.get("/")
@require_right(MANAGE_SETTINGS)
def index():
    return full_page()


@bp.post("/")
@require_right(MANAGE_SETTINGS)
def save():
    form = SettingsForm()
    if not form.validate_on_submit():
        return render(TEMPLATE, block="options_form", status=422, form=form) \
            if is_htmx_request() else full_page(422, form=form)
    changed = options.save(form.values(), g.membership)
    db.session.commit()
    flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
    return redirect_to(url_for("settings.index"))


@bp.get("/products")
@require_right(MANAGE_SETTINGS)
def products():
    """Products matching ?q=, to add to the exchange form (the page itself without htmx)."""
    q = (request.args.get("q") or "")[:MAX_QUERY]
    found = picker(q)
    if is_htmx_request():
        return render_template("settings/_product_results.html", picker=found)
    return full_page(product_picker=found)


@bp.post("/products/add")
@require_right(MANAGE_SETTINGS)
def add_product():
    form = ProductPickForm()
    product = options.find_product(form.product_id.data) if form.validate_on_submit() else None
    if product is None:
        return picker_answer(picker(error=_("Choose an existing product.")), 422)
    chosen = list(TenantSettings.current().product_ids or [])
    if product.id not in chosen:
        if len(chosen) >= options.PRODUCTS_MAX:
            return picker_answer(picker(error=_("At most %(max)d products.",
                                                max=options.PRODUCTS_MAX)), 422)
        options.set_products(chosen + [product.id], g.membership)
        db.session.commit()
    return picker_answer(picker(notice=_("“%(label)s” is shown in the exchange form.",
                                         label=product.label)))


@bp.post("/products/remove")
@require_right(MANAGE_SETTINGS)
def remove_product():
    form = ProductPickForm()
    chosen = list(TenantSettings.current().product_ids or [])
    if not form.validate_on_submit() or form.product_id.data not in chosen:
        return picker_answer(picker(error=_("Choose a product of the list.")), 422)
    options.set_products([i for i in chosen if i != form.product_id.data], g.membership)
    db.session.commit()
    product = options.find_product(form.product_id.data)
    label = product.label if product is not None else f"#{form.product_id.data}"
    return picker_answer(picker(notice=_("“%(label)s” is no longer shown in the exchange form.",
                                         label=label)))
