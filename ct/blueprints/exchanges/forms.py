"""The exchange form: fields, limits, and the checks that need the tenant's records.

Each check resolves the posted ids into rows of the bound tenant and keeps them on the
form (``form.tiers``, ``form.contacts``…), so saving never looks an id up twice and never
trusts a raw id. Fields the tenant's settings hide are removed from the form
(``configure``): a value posted for them anyway is ignored.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import and_
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ct.blueprints.exchanges.attachment_fields import AttachmentFields
from ct.blueprints.exchanges.fields import active_many, active_or_error, choice_of, many, one
from ct.blueprints.exchanges.mention_fields import MentionFields
from ct.core.zone import to_utc
from ct.exchanges.saving import (
    COLLABORATORS,
    CONFIDENTIAL,
    MADE_BY,
    PRODUCTS,
    EventDraft,
    ExchangeDraft,
    TaskDraft,
)
from ct.exchanges.status import status_choices
from ct.models import Contact, Document, Group, Product, Project, Tiers
from ct.models.agenda import LOCATION_MAX
from ct.models.agenda import TITLE_MAX as EVENT_TITLE_MAX
from ct.models.base import utcnow
from ct.models.choices import KIND_MODE, KIND_OBJECT
from ct.models.exchange import COMMENT_MAX, STATUS_CLOSED
from ct.models.project import LABEL_MAX as TASK_LABEL_MAX
from ct.models.project import PROJECT_OPEN
from ct.web.fields import IdField, IdListField
from ct.web.record_fields import plain_text, strip, text_field

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
TOO_LONG = _l("At most %(max)d characters.")
REMINDER_UNITS = {"minutes": 1, "hours": 60, "days": 24 * 60}
REMINDER_CHOICES = [
    SelectChoice("", _l("No reminder")),
    SelectChoice("minutes", _l("minutes before")),
    SelectChoice("hours", _l("hours before")),
    SelectChoice("days", _l("days before")),
]
# Fields shown only when a tenant setting enables them.
# The draft's optional parts (ct/exchanges/saving.py), asked when their field is in the form.
ASKED_BY = {MADE_BY: "made_by_id", COLLABORATORS: "collaborator_ids",
            CONFIDENTIAL: "confidential_comment", PRODUCTS: "product_ids"}
SETTING_FIELDS = {
    "choose_user": ("made_by_id",),
    "collaborators": ("collaborator_ids", "notify_collaborators"),
    "confidential_comments": ("confidential_comment", "confidential_group_id"),
}


class ExchangeForm(MentionFields, AttachmentFields, FlaskForm):
    form_token = HiddenField()  # checked (and replaced if tampered with) by the route
    tiers_id = IdField(_l("Third party"))
    tiers_locked = HiddenField()
    contact_ids = IdListField(_l("Contacts"))
    occurred_at = DateTimeLocalField(
        _l("Date and time"), format=DATETIME_FORMATS,
        validators=[InputRequired(_l("Give the date and time."))])
    made_by_id = IdField(_l("Made by"))
    mode_id = IdField(_l("Contact mode"))
    object_id = IdField(_l("Object"))
    document_id = IdField(_l("Document"))
    project_id = IdField(_l("Project"))
    product_ids = IdListField(_l("Products"))
    collaborator_ids = IdListField(_l("Collaborators"))
    notify_collaborators = BooleanField(_l("Notify them by email"))
    comment = TextAreaField(_l("Comment"), filters=[strip],
                            validators=[Length(max=COMMENT_MAX, message=TOO_LONG), plain_text])
    status = RadioField(_l("Status"), default=STATUS_CLOSED,
                        validate_choice=True)
    confidential_comment = TextAreaField(
        _l("Confidential comment"), filters=[strip],
        validators=[Length(max=COMMENT_MAX, message=TOO_LONG), plain_text])
    confidential_group_id = IdField(_l("Shared with the group"))

    add_task = BooleanField(_l("Add a follow-up task"))
    task_project_id = IdField(_l("Project"))
    task_label = text_field(_l("Task"), TASK_LABEL_MAX)
    task_assignee_id = IdField(_l("Assigned to"))
    task_due_date = DateField(_l("Due date"), validators=[Optional()])

    add_event = BooleanField(_l("Add an event"))
    event_title = text_field(_l("Title"), EVENT_TITLE_MAX)
    event_start = DateTimeLocalField(_l("Start"), format=DATETIME_FORMATS, validators=[Optional()])
    event_end = DateTimeLocalField(_l("End"), format=DATETIME_FORMATS, validators=[Optional()])
    event_assignee_ids = IdListField(_l("Assigned to"))
    event_location = text_field(_l("Location"), LOCATION_MAX)
    event_reminder_amount = IntegerField(
        _l("Reminder"), validators=[Optional(), NumberRange(min=1, max=999)])
    event_reminder_unit = SelectField(_l("Reminder"), choices=REMINDER_CHOICES, default="")

    # Rows resolved by the checks below; saving reads these, never the raw ids.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = self.document = self.project = self.made_by = None
        self.mode = self.object_choice = self.group = None
        self.task_project = self.task_assignee = None
        self.contacts, self.products, self.collaborators, self.event_assignees = [], [], [], []
        self._allowed_products = []

    def configure(self, settings, can_confidential: bool = True, task: bool = True,
                  event: bool = True, exchange=None):
        """Drop the fields this tenant or this member does not use (and the follow-up
        sections of an exchange that already has its task or event). ``exchange``: the
        one being edited, for the checks of the mentions."""
        self.exchange = exchange
        for setting, names in SETTING_FIELDS.items():
            if not getattr(settings, setting):
                for name in names:
                    delattr(self, name)
        if not settings.product_ids:
            delattr(self, "product_ids")
        if not can_confidential and "confidential_comment" in self:
            delattr(self, "confidential_comment")
            delattr(self, "confidential_group_id")
        dropped = ("add_task", "task_") if not task else ()
        dropped += ("add_event", "event_") if not event else ()
        for name in [n for n in self._fields if dropped and n.startswith(dropped)]:
            delattr(self, name)
        self._allowed_products = list(settings.product_ids or [])
        self.status.choices = status_choices()
        return self

    # -- checks of the ids against the bound tenant's records -----------------------------

    def validate_tiers_id(self, field):
        if field.data is None:
            raise ValidationError(_l("Choose the third party of this exchange."))
        self.tiers = one(Tiers, field.data)
        if self.tiers is None:
            raise ValidationError(_l("Choose an existing third party."))

    def validate_contact_ids(self, field):
        self.contacts = many(Contact, field.data)
        if self.tiers is not None:
            strangers = [c.full_name for c in self.contacts if c.tiers_id != self.tiers.id]
            if strangers:
                raise ValidationError(_l("Not a contact of this third party: %(names)s.",
                                         names=", ".join(strangers)))

    def validate_made_by_id(self, field):
        self.made_by = active_or_error(field.data, _l("Choose an existing member."))

    def validate_mode_id(self, field):
        self.mode = choice_of(KIND_MODE, field.data)
        if field.data is not None and self.mode is None:
            raise ValidationError(_l("Choose a contact mode from the list."))

    def validate_object_id(self, field):
        self.object_choice = choice_of(KIND_OBJECT, field.data)
        if field.data is not None and self.object_choice is None:
            raise ValidationError(_l("Choose an object from the list."))

    def validate_document_id(self, field):
        self.document = one(Document, field.data)
        if field.data is not None and self.document is None:
            raise ValidationError(_l("Choose an existing document."))
        if self.document is not None and self.tiers is not None \
                and self.document.tiers_id != self.tiers.id:
            raise ValidationError(_l("This document belongs to another third party."))

    def validate_project_id(self, field):
        self.project = one(Project, field.data)
        if field.data is not None and self.project is None:
            raise ValidationError(_l("Choose an existing project."))

    def validate_product_ids(self, field):
        allowed = set(getattr(self, "_allowed_products", []))
        if any(i not in allowed for i in field.data):
            raise ValidationError(_l("Choose products from the list."))
        self.products = many(Product, field.data, Product.active.is_(True))

    def validate_collaborator_ids(self, field):
        self.collaborators = active_many(field.data)

    def validate_confidential_group_id(self, field):
        self.group = one(Group, field.data)
        if field.data is not None and self.group is None:
            raise ValidationError(_l("Choose an existing group."))

    # -- the follow-up task and event, checked only when asked for ------------------------

    def validate(self, extra_validators=None):
        super().validate(extra_validators)
        for section, check in (("task", self._check_task), ("event", self._check_event)):
            switch = f"add_{section}"
            if switch not in self:
                continue
            if self[switch].data:
                check()
            else:  # a switched-off section is hidden: nothing in it may block the save
                for name in self._fields:
                    if name.startswith(f"{section}_"):
                        self[name].errors = []
        self.check_mentions()
        self.check_attachments()
        return not any(field.errors for field in self)

    def _fail(self, field, message) -> bool:
        field.errors = [*field.errors, message]
        return False

    def _check_task(self) -> bool:
        valid = True
        if not self.task_label.data:
            valid = self._fail(self.task_label, _l("Give the task a label."))
        if self.task_project_id.data is not None:
            self.task_project = one(Project, self.task_project_id.data,
                                    and_(Project.status == PROJECT_OPEN))
            if self.task_project is None:
                valid = self._fail(self.task_project_id, _l("Choose an open project."))
        try:
            self.task_assignee = active_or_error(self.task_assignee_id.data,
                                                _l("Choose an existing member."))
        except ValidationError as error:
            valid = self._fail(self.task_assignee_id, error.args[0])
        return valid

    def _check_event(self) -> bool:
        valid = True
        if not self.event_title.data:
            valid = self._fail(self.event_title, _l("Give the event a title."))
        start, end = self.event_start.data, self.event_end.data
        if start is None and not self.event_start.errors:
            valid = self._fail(self.event_start, _l("Give the start of the event."))
        if start is not None and end is not None and end < start:
            valid = self._fail(self.event_end, _l("The end must be after the start."))
        try:
            self.event_assignees = active_many(self.event_assignee_ids.data)
        except ValidationError as error:
            valid = self._fail(self.event_assignee_ids, error.args[0])
        reminder = self.reminder_minutes()
        if self.event_reminder_unit.data and self.event_reminder_amount.data is None \
                and not self.event_reminder_amount.errors:
            valid = self._fail(self.event_reminder_amount, _l("Say how long before."))
        if start is not None and reminder is not None \
                and to_utc(start) - timedelta(minutes=reminder) < utcnow():
            valid = self._fail(self.event_reminder_amount,
                               _l("This reminder would be in the past."))
        return valid

    def draft(self) -> ExchangeDraft:
        """What the checked form says, as rows of the company, for ct/exchanges/saving.py."""
        asked = frozenset(part for part, name in ASKED_BY.items() if name in self)
        return ExchangeDraft(
            tiers=self.tiers, occurred_at=to_utc(self.occurred_at.data),
            status=self.status.data, comment=self.comment.data or None, mode=self.mode,
            object_choice=self.object_choice, document=self.document, project=self.project,
            contacts=self.contacts, made_by=self.made_by, collaborators=self.collaborators,
            notify_collaborators=COLLABORATORS in asked and bool(self.notify_collaborators.data),
            confidential_comment=self.confidential_comment.data if CONFIDENTIAL in asked else None,
            group=self.group, products=self.products, task=self._task_draft(),
            event=self._event_draft(), form_token=self.form_token.data or None, asked=asked,
            mentioned=self.mentioned_members())

    def _task_draft(self) -> TaskDraft | None:
        if "add_task" not in self or not self.add_task.data:
            return None
        return TaskDraft(label=self.task_label.data, project=self.task_project,
                         assignee=self.task_assignee, due_date=self.task_due_date.data)

    def _event_draft(self) -> EventDraft | None:
        if "add_event" not in self or not self.add_event.data:
            return None
        end = self.event_end.data
        return EventDraft(title=self.event_title.data, starts_at=to_utc(self.event_start.data),
                          ends_at=to_utc(end) if end else None,
                          location=self.event_location.data or None,
                          assignees=self.event_assignees,
                          reminder_minutes=self.reminder_minutes())

    def reminder_minutes(self) -> int | None:
        unit, amount = self.event_reminder_unit.data, self.event_reminder_amount.data
        if not unit or amount is None or unit not in REMINDER_UNITS:
            return None
        return amount * REMINDER_UNITS[unit]
