"""Inside the pop-up: create a tiers or a contact without leaving it, and refresh the
fields that depend on the chosen tiers (contacts, documents) with out-of-band swaps.

A record created here is committed at once: if the exchange itself is then refused, the
form comes back with that tiers or contact still chosen, never lost. The form carries the
list of what it created, so that closing it unsaved can offer to remove them (undo.py).
"""

from __future__ import annotations

from flask import g, make_response, render_template, request
from flask_babel import gettext as _

from ct.blueprints.exchanges import bp
from ct.blueprints.exchanges.fields import one
from ct.blueprints.exchanges.inline_forms import NewContactForm, NewTiersForm
from ct.blueprints.exchanges.undo import created_inline
from ct.blueprints.exchanges.views import form_context, form_for, require
from ct.core.permissions import MANAGE_RECORDS, WRITE_EXCHANGES, require_right
from ct.extensions import db
from ct.models import Contact, Tiers
from ct.models.tiers import KINDS
from ct.web.lookups import from_query_or_404


def _render(template: str, status: int = 200, **context):
    return make_response(render_template(template, **context), status)


def _tiers_chosen(form, tiers: Tiers, locked: bool, created: Tiers | None = None):
    """The tiers field set to ``tiers``, with its contacts and documents out of band (and
    the list of records this form created, when it just created the tiers)."""
    form.tiers_id.data = tiers.id
    form.tiers_locked.data = "1" if locked else ""
    form.contact_ids.data = []
    form.document_id.data = None
    extra = {"created_inline": created_inline(created)} if created else {}
    return _render("exchanges/_tiers_changed.html",
                   **form_context(form, focus_tiers=True, **extra))


@bp.get("/tiers-fields")
@require_right(WRITE_EXCHANGES)
def tiers_fields():
    """The contacts and documents fields of the tiers just picked (out-of-band swaps)."""
    form = form_for()
    tiers = from_query_or_404(Tiers, "tiers_id")
    form.tiers_id.data = tiers.id if tiers else None
    return _render("exchanges/_tiers_dependents.html", **form_context(form))


@bp.route("/inline/tiers", methods=["GET", "POST"])
@require_right(WRITE_EXCHANGES)
def inline_tiers():
    require(MANAGE_RECORDS)
    if request.method == "GET":
        sub = NewTiersForm(formdata=None, data={"name": request.args.get("q", "")[:200]})
        return _render("exchanges/_inline_tiers.html", new_tiers_form=sub)

    form, sub = form_for(), NewTiersForm()
    if sub.use.data is not None or sub.use.errors:
        existing = one(Tiers, sub.use.data)
        if existing is not None:
            return _tiers_chosen(form, existing, locked=False)
        sub.name.errors = [*sub.name.errors, sub.use.errors[0] if sub.use.errors
                           else _("This third party no longer exists.")]
        return _render("exchanges/_tiers_field.html", 422,
                       **form_context(form, new_tiers_form=sub))
    if not sub.validate():
        return _render("exchanges/_tiers_field.html", 422,
                       **form_context(form, new_tiers_form=sub))
    if not sub.force.data:
        duplicates = Tiers.possible_duplicates(sub.name.data, sub.email.data)
        if duplicates:
            return _render("exchanges/_tiers_field.html",
                           **form_context(form, new_tiers_form=sub, duplicates=duplicates))
    tiers = Tiers(
        name=sub.name.data,
        email=sub.email.data or None,
        phone=sub.phone.data or None,
        town=sub.town.data or None,
        created_by_id=g.membership.id,
        **{f"is_{kind}": kind in (sub.kinds.data or []) for kind in KINDS},
    )
    db.session.add(tiers)
    db.session.commit()
    return _tiers_chosen(form, tiers, locked=True, created=tiers)


@bp.route("/inline/contact", methods=["GET", "POST"])
@require_right(WRITE_EXCHANGES)
def inline_contact():
    require(MANAGE_RECORDS)
    if request.method == "GET":
        from_query_or_404(Tiers, "tiers_id")  # another tenant's tiers: 404
        return _render("exchanges/_inline_contact.html",
                       new_contact_form=NewContactForm(formdata=None))

    form, sub = form_for(), NewContactForm()
    context = form_context(form, new_contact_form=sub)
    tiers = context["tc"].tiers
    if tiers is None:
        context["sub_error"] = _("Choose the third party first.")
        return _render("exchanges/_contacts_field.html", 422, **context)
    if not sub.validate():
        return _render("exchanges/_contacts_field.html", 422, **context)
    contact = Contact(
        tiers_id=tiers.id,
        first_name=sub.first_name.data or None,
        last_name=sub.last_name.data or None,
        email=sub.email.data or None,
        phone=sub.phone.data or None,
        job_title=sub.job_title.data or None,
        created_by_id=g.membership.id,
    )
    db.session.add(contact)
    db.session.commit()
    form.contact_ids.data = [*form.contact_ids.data, contact.id]
    return _render("exchanges/_contact_created.html",
                   **form_context(form, new_contact_id=contact.id,
                                  created_inline=created_inline(contact)))
