"""The "To classify" list and its actions: create the contact (prefilled with the address
and the display name) in a third party, or log on a third party alone, or dismiss.
Only the member's own emails: another member's, or another company's, is 404."""

from __future__ import annotations

from flask import abort, flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, ValidationError

from ct.blueprints.to_classify import bp
from ct.capture import classify
from ct.core.ids import parse_id
from ct.core.permissions import MANAGE_RECORDS, WRITE_EXCHANGES, can, require_right
from ct.core.tenancy import find
from ct.extensions import db
from ct.models import Contact
from ct.models.contact import NAME_MAX
from ct.web.fields import IdField
from ct.web.htmx import redirect_to, render
from ct.web.record_fields import TOO_LONG, TiersField, single_line, strip, tiers_options

CREATE_CONTACT, TIERS_ONLY, EXISTING = "contact", "tiers", "existing"


class ClassifyForm(FlaskForm):
    email = SelectField(_l("Address"), choices=[])
    first_name = StringField(_l("First name"), filters=[strip], validators=[
        Length(max=NAME_MAX, message=TOO_LONG), single_line])
    last_name = StringField(_l("Last name"), filters=[strip], validators=[
        Length(max=NAME_MAX, message=TOO_LONG), single_line])
    tiers_id = TiersField(_l("Third party"))
    contact_id = IdField()
    action = SelectField(choices=[CREATE_CONTACT, TIERS_ONLY, EXISTING],
                         default=CREATE_CONTACT)

    def validate_tiers_id(self, field):
        if self.action.data != EXISTING and field.data is None:
            raise ValidationError(_l("Choose a third party."))

    def validate_contact_id(self, field):
        if self.action.data != EXISTING:
            return
        self.contact = find(Contact, field.data)
        if self.contact is None or self.contact.tiers_id is None:
            raise ValidationError(_l("Choose an existing contact."))

    def for_item(self, row) -> ClassifyForm:
        self.email.choices = [(p["email"], p["email"]) for p in row.unknown or []]
        return self


@bp.get("/")
@require_right(WRITE_EXCHANGES)
def index():
    return render("to_classify/index.html", rows=classify.waiting_of(g.membership.id))


def _item_or_404(inbound_id: int):
    row = classify.item_of(g.membership.id, inbound_id)
    if row is None:
        abort(404)
    return row


def _form_page(row, form: ClassifyForm, status: int = 200, suggested=None):
    selected = parse_id(form.tiers_id.data) if form.tiers_id.data else None
    if suggested is None and form.email.data:
        suggested = classify.suggested_tiers(form.email.data)
    options, many = tiers_options(selected)
    return render("to_classify/item.html", status=status, row=row, form=form,
                  tiers_choices=options, tiers_selected=selected, many_tiers=many,
                  tiers_blank="choose", may_create=can(MANAGE_RECORDS),
                  suggested=suggested, contacts=classify.contacts_at(suggested))


@bp.get("/<int:inbound_id>")
@require_right(WRITE_EXCHANGES)
def item(inbound_id: int):
    """The classify form, prefilled from the address chosen (?email=) or the first."""
    row = _item_or_404(inbound_id)
    form = ClassifyForm(formdata=None).for_item(row)
    people = {p["email"]: p for p in row.unknown or []}
    chosen = people.get(request.args.get("email", "")) or next(iter(people.values()), None)
    suggested = None
    if chosen is not None:
        form.email.data = chosen["email"]
        form.first_name.data, form.last_name.data = classify.split_name(chosen["name"])
        suggested = classify.suggested_tiers(chosen["email"])
        form.tiers_id.data = suggested.id if suggested else None
    return _form_page(row, form, suggested=suggested)


@bp.post("/<int:inbound_id>")
@require_right(WRITE_EXCHANGES)
def classify_item(inbound_id: int):
    row = _item_or_404(inbound_id)
    form = ClassifyForm().for_item(row)
    if row.status not in classify.CLASSIFIABLE or not row.unknown:
        abort(404)  # a failed email has nobody to classify
    creating = form.action.data == CREATE_CONTACT
    if creating and not can(MANAGE_RECORDS):
        abort(403)
    if not form.validate():
        return _form_page(row, form, status=422)
    if creating:
        if not (form.first_name.data or form.last_name.data):
            form.last_name.errors = [_("Give a first or a last name.")]
            return _form_page(row, form, status=422)
        classify.create_contact(row, form.email.data, form.tiers_id.tiers,
                                form.first_name.data, form.last_name.data)
        tiers = form.tiers_id.tiers
    elif form.action.data == EXISTING:
        classify.use_contact(row, form.email.data, form.contact, can(MANAGE_RECORDS))
        tiers = form.contact.tiers
    else:
        classify.log_on_tiers(row, form.email.data, form.tiers_id.tiers)
        tiers = form.tiers_id.tiers
    db.session.commit()
    flash(_("The exchange with %(tiers)s is logged.", tiers=tiers.name), "success")
    return redirect_to(url_for(".index"))


@bp.post("/<int:inbound_id>/dismiss")
@require_right(WRITE_EXCHANGES)
def dismiss(inbound_id: int):
    classify.dismiss(_item_or_404(inbound_id))
    db.session.commit()
    flash(_("The email is dismissed: no exchange is logged for it."), "success")
    return redirect_to(url_for(".index"))
