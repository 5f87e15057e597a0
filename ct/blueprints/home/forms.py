"""The "Customize" form of the home page: which widgets, in which order."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from ct.home.layout import WIDGETS, Layout

POSITION_PREFIX = "position_"
MOVES = ("up", "down")


class LayoutForm(FlaskForm):
    shown = SelectMultipleField(
        _l("Widgets shown"),
        choices=[SelectChoice(name, label) for name, label in WIDGETS.items()],
        validate_choice=False,  # our own message names the unknown widget
    )
    # "name:up" or "name:down" from the arrow buttons; empty for the Save button.
    move = StringField(validators=[Optional()])

    def validate_shown(self, field):
        unknown = [name for name in field.data or [] if name not in WIDGETS]
        if unknown:
            raise ValidationError(_("Unknown widget: %(names)s.", names=", ".join(unknown)))

    def validate_move(self, field):
        name, _sep, direction = (field.data or "").partition(":")
        if field.data and (name not in WIDGETS or direction not in MOVES):
            raise ValidationError(_("Unknown widget: %(names)s.", names=name))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # A position for a widget we do not have is as wrong as showing one.
        unknown = [key.removeprefix(POSITION_PREFIX) for key in request.form
                   if key.startswith(POSITION_PREFIX)
                   and key.removeprefix(POSITION_PREFIX) not in WIDGETS]
        if unknown:
            self.shown.errors = [*self.shown.errors,
                                 _("Unknown widget: %(names)s.", names=", ".join(unknown))]
            valid = False
        return valid

    def position_fields(self):
        return [(name, getattr(self, POSITION_PREFIX + name)) for name in WIDGETS]

    def layout(self, checklist_dismissed: bool) -> Layout:
        """The layout asked for: widgets by position (ties keep the default order),
        then the arrow's move, if one was pressed."""
        defaults = list(WIDGETS)
        order = sorted(defaults, key=lambda name: (getattr(self, POSITION_PREFIX + name).data,
                                                   defaults.index(name)))
        if self.move.data:
            name, _sep, direction = self.move.data.partition(":")
            at = order.index(name)
            to = at - 1 if direction == "up" else at + 1
            if 0 <= to < len(order):
                order[at], order[to] = order[to], order[at]
        hidden = set(WIDGETS) - set(self.shown.data or [])
        return Layout(order, hidden, checklist_dismissed)

    @classmethod
    def for_layout(cls, layout: Layout, **kwargs) -> LayoutForm:
        data = {"shown": layout.shown}
        data |= {POSITION_PREFIX + name: i + 1 for i, name in enumerate(layout.order)}
        # formdata=None: after a save, show what was saved, not the request's values.
        return cls(formdata=None, data=data, **kwargs)


class PositionField(IntegerField):
    """A widget's place, 1 to the number of widgets; one message whatever was wrong."""

    def __init__(self, label, **kwargs):
        self.message = _l("Enter a position from 1 to %(max)d.", max=len(WIDGETS))
        kwargs["validators"] = [InputRequired(self.message),
                                NumberRange(1, len(WIDGETS), message=self.message)]
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.message)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the message of the bad input is enough


for _name, _label in WIDGETS.items():
    setattr(LayoutForm, POSITION_PREFIX + _name, PositionField(_label))
