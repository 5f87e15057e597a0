"""The document form: a kind of the tenant's list, a reference unique within its kind,
a third party of the bound tenant, a date, an amount typed the French way."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from ct.extensions import db
from ct.models import Choice, Document
from ct.models.choices import KIND_DOCUMENT
from ct.models.document import DESCRIPTION_MAX, DOCUMENT_STATUSES, REFERENCE_MAX
from ct.web.fields import IdSelectField
from ct.web.record_fields import AmountField, TiersField, text_field

STATUS_LABELS = {
    "draft": _l("Draft"),
    "sent": _l("Sent"),
    "accepted": _l("Accepted"),
    "refused": _l("Refused"),
    "paid": _l("Paid"),
    "cancelled": _l("Cancelled"),
}
assert set(STATUS_LABELS) == set(DOCUMENT_STATUSES)

DUPLICATE = _l("Another document of this kind already has this reference.")


def document_kinds(current: Choice | None = None) -> list:
    """The kinds a document may take: the active ones, and its own even if retired."""
    kinds = Choice.active_of(KIND_DOCUMENT)
    if current is not None and current.id not in {kind.id for kind in kinds}:
        kinds.append(current)
    return kinds


class DocumentForm(FlaskForm):
    kind_id = IdSelectField(_l("Kind"))
    reference = text_field(_l("Reference"), REFERENCE_MAX, required=True)
    tiers_id = TiersField(_l("Third party"), required=True)
    date = DateField(
        _l("Date"),
        format=["%Y-%m-%d", "%d/%m/%Y"],
        validators=[InputRequired(_l("Enter the date of the document."))],
        invalid_value_message=_l("Enter a valid date."),
        default=date.today,
    )
    amount = AmountField(_l("Amount"))
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(code, label) for code, label in STATUS_LABELS.items()],
        default="draft",
        validate_choice=False,
    )
    description = text_field(_l("Short description"), DESCRIPTION_MAX)

    def __init__(self, *args, document: Document | None = None, **kwargs):
        super().__init__(*args, obj=document, **kwargs)
        self.document = document
        self.kinds = {kind.id: kind for kind in document_kinds(document.kind if document else None)}
        self.kind_id.choices = [SelectChoice(kind.id, kind.display) for kind in self.kinds.values()]

    def validate_kind_id(self, field):
        # The choices were read under the tenant scoping: another tenant's kind is absent.
        if field.data not in self.kinds:
            raise ValidationError(_l("Choose a kind of document."))

    def validate_status(self, field):
        if field.data not in STATUS_LABELS:
            raise ValidationError(_l("Choose a status."))

    def validate_reference(self, field):
        if self.kind_id.data in self.kinds and self.reference_taken():
            raise ValidationError(DUPLICATE)

    def reference_taken(self) -> bool:
        query = select(Document.id).where(
            Document.kind_id == self.kind_id.data, Document.reference == self.reference.data
        )
        if self.document is not None and self.document.id is not None:
            query = query.where(Document.id != self.document.id)
        return db.session.scalar(query.limit(1)) is not None

    def fill(self, document: Document) -> None:
        document.kind_id = self.kind_id.data
        document.reference = self.reference.data
        document.tiers_id = self.tiers_id.data
        document.date = self.date.data
        document.amount = self.amount.data
        document.status = self.status.data
        document.description = self.description.data or None
