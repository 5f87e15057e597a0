"""The confirmation of a company's closing: its name, typed by hand."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from ct.models.tenant import NAME_MAX
from ct.records.closing import names_match


class CloseForm(FlaskForm):
    company_name = StringField(
        _l("Company name"),
        validators=[InputRequired(message=_l("Type the name of the company.")),
                    Length(max=NAME_MAX, message=_l("The name has at most %(max)d characters."))],
    )

    def __init__(self, expected: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def validate_company_name(self, field):
        if not names_match(field.data or "", self.expected):
            raise ValidationError(_l("This is not the name of the company: type “%(name)s”.",
                                     name=self.expected))
