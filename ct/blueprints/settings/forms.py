"""Forms of the settings page: the options, the list editors and the product picker."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from ct.blueprints.settings import lists
from ct.models import Choice
from ct.models.choices import LABEL_MAX
from ct.models.settings import BUTTON_FLOATING, BUTTON_INTEGRATED, BUTTON_PAGES
from ct.web.fields import IdField
from ct.web.forms import REQUIRED, name_field, one_line_text, strip

BUTTON_MODE_LABELS = {
    BUTTON_INTEGRATED: _l("Integrated button on the pages"),
    BUTTON_FLOATING: _l("Floating button on every page"),
}
PAGE_LABELS = {
    "home": _l("Home"),
    "tiers": _l("Third parties"),
    "contacts": _l("Contacts"),
    "documents": _l("Documents"),
    "projects": _l("Projects"),
    "agenda": _l("Agenda"),
    "exchanges": _l("Exchanges list"),
}
assert set(PAGE_LABELS) == set(BUTTON_PAGES), "every page of the button needs a label"

WIDGET_DAYS_MAX = 3650
SHORTEN_MIN, SHORTEN_MAX = 20, 2000
THRESHOLD_MAX = 1_000_000
PLAN_NEXT_DAYS_MAX = 365
TOO_LONG = _l("At most %(max)d characters.")


class WholeNumberField(IntegerField):
    """A whole number whose one message says what to enter, whatever was wrong."""

    def __init__(self, label, minimum, maximum, message, required=True, **kwargs):
        kwargs["validators"] = [
            InputRequired(REQUIRED) if required else Optional(),
            NumberRange(min=minimum, max=maximum, message=message),
        ]
        super().__init__(label, **kwargs)
        self.message = message % {"min": minimum, "max": maximum}

    def process_formdata(self, valuelist):
        if valuelist and not valuelist[0].strip():
            self.data = None  # empty: the required / optional validators decide
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.message) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the message of the bad input is enough


class SettingsForm(FlaskForm):
    choose_user = BooleanField(_l("Choose the user who made the contact"))
    confidential_comments = BooleanField(_l("Confidential comments"))
    collaborators = BooleanField(_l("Collaborators on exchanges"))
    button_mode = RadioField(
        _l("Create-button display"),
        choices=[SelectChoice(mode, label) for mode, label in BUTTON_MODE_LABELS.items()],
        validators=[InputRequired(_l("Choose how the create button is shown."))],
        invalid_choice_message=_l("Choose how the create button is shown."),
    )
    hidden_button_pages = SelectMultipleField(
        _l("Pages without the integrated button"),
        choices=[SelectChoice(page, label) for page, label in PAGE_LABELS.items()],
        invalid_choice_message=_l("Choose pages from the list."),
    )
    widget_days = WholeNumberField(
        _l("Widget window (days)"), 1, WIDGET_DAYS_MAX,
        _l("Enter a number of days between %(min)d and %(max)d, or leave empty for no limit."),
        required=False,
    )
    shorten_descriptions = BooleanField(_l("Shorten descriptions in the exchanges list"))
    shorten_length = WholeNumberField(
        _l("Length of shortened descriptions (characters)"), SHORTEN_MIN, SHORTEN_MAX,
        _l("Enter a length between %(min)d and %(max)d characters."),
    )
    large_contacts_threshold = WholeNumberField(
        _l("Large contact lists threshold"), 0, THRESHOLD_MAX,
        _l("Enter a number of contacts between %(min)d and %(max)d."),
    )
    plan_next_days = WholeNumberField(
        _l("Next contact planned after (days)"), 0, PLAN_NEXT_DAYS_MAX,
        _l("Enter a number of days between %(min)d and %(max)d."),
    )

    def values(self) -> dict:
        """The submitted options, in the shape TenantSettings stores them."""
        hidden = set(self.hidden_button_pages.data or [])
        return {
            "choose_user": self.choose_user.data,
            "confidential_comments": self.confidential_comments.data,
            "collaborators": self.collaborators.data,
            "button_mode": self.button_mode.data,
            # In the module's order, so that the same choice always compares equal.
            "hidden_button_pages": [page for page in BUTTON_PAGES if page in hidden],
            "widget_days": self.widget_days.data,
            "shorten_descriptions": self.shorten_descriptions.data,
            "shorten_length": self.shorten_length.data,
            "large_contacts_threshold": self.large_contacts_threshold.data,
            "plan_next_days": self.plan_next_days.data,
        }


def label_field(label=_l("Label")):
    return name_field(label, LABEL_MAX)


class _EntryForm(FlaskForm):
    """A form about one list (``kind``); ``entry`` is the entry being edited, if any.

    Both lists and all their entries sit on one page: field names start with the
    entry's id, or with the list's kind.
    """

    prefix_of_kind = ""

    def __init__(self, kind: str, entry: Choice | None = None, **kwargs):
        default = f"entry-{entry.id}" if entry else f"{kind}-{self.prefix_of_kind}"
        kwargs.setdefault("prefix", default)
        super().__init__(**kwargs)
        self.kind = kind
        self.entry = entry

    def _refuse_duplicate(self, field) -> None:
        twin = lists.duplicate_of(self.kind, field.data, self.entry)
        if twin is not None:
            if twin.active:
                raise ValidationError(_("“%(label)s” is already in the list.", label=twin.label))
            raise ValidationError(
                _("“%(label)s” is already in the list, deactivated: reactivate it.",
                  label=twin.label))


class AddEntryForm(_EntryForm):
    prefix_of_kind = "new"
    label = label_field(_l("New entry"))

    def validate_label(self, field):
        self._refuse_duplicate(field)
        if len(lists.entries(self.kind)) >= lists.LIST_MAX:
            raise ValidationError(_("A list holds at most %(max)d entries.", max=lists.LIST_MAX))


class RenameEntryForm(_EntryForm):
    label = label_field()
    label_en = StringField(
        _l("Label in English (optional)"),
        validators=[one_line_text, Optional(), Length(max=LABEL_MAX, message=TOO_LONG)],
        filters=[strip, lambda value: value or None],
    )

    def validate_label(self, field):
        self._refuse_duplicate(field)

    def validate_label_en(self, field):
        if field.data:
            self._refuse_duplicate(field)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tabs and line breaks are allowed here


class ImportEntriesForm(_EntryForm):
    prefix_of_kind = "import"
    lines = TextAreaField(_l("Import, one entry per line"),
                          validators=[InputRequired(_l("Paste at least one entry."))])

    def validate_lines(self, field):
        labels = []
        for number, line in enumerate(field.data.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue  # blank lines between entries are common in pasted text
            if len(labels) == lists.IMPORT_MAX:
                raise ValidationError(_("At most %(max)d entries at a time.",
                                         max=lists.IMPORT_MAX))
            if len(line) > LABEL_MAX:
                raise ValidationError(_("Line %(line)d is longer than %(max)d characters.",
                                         line=number, max=LABEL_MAX))
            if _CONTROL.search(line):
                raise ValidationError(_("Line %(line)d contains invisible control characters.",
                                         line=number))
            labels.append(" ".join(line.split()))
        if not labels:
            raise ValidationError(_("Paste at least one entry."))
        total = len(lists.entries(self.kind)) + len(lists.new_labels(self.kind, labels))
        if total > lists.LIST_MAX:
            raise ValidationError(_("A list holds at most %(max)d entries.", max=lists.LIST_MAX))
        self.labels = labels


class ProductPickForm(FlaskForm):
    product_id = IdField(validators=[InputRequired(_l("Choose an existing product."))])
