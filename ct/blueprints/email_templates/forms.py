from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ct.emails.templates import Parts
from ct.models.email_template import BODY_MAX, SUBJECT_MAX
from ct.web.forms import REQUIRED
from ct.web.record_fields import plain_text, single_line

TOO_LONG = _l("At most %(max)d characters.")


def unix_lines(value):
    """Browsers send CRLF; templates are stored with plain line feeds."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _body(label):
    return TextAreaField(
        label,
        validators=[DataRequired(REQUIRED), Length(max=BODY_MAX, message=TOO_LONG), plain_text],
        filters=[unix_lines],
        render_kw={"rows": 14, "spellcheck": "true"},
    )


class TemplateForm(FlaskForm):
    subject = StringField(
        _l("Subject"),
        validators=[DataRequired(REQUIRED), Length(max=SUBJECT_MAX, message=TOO_LONG),
                    single_line],
    )
    body_text = _body(_l("Text body"))
    body_html = _body(_l("HTML body"))

    @classmethod
    def of(cls, parts: Parts) -> "TemplateForm":
        return cls(data={"subject": parts.subject.strip("\n"), "body_text": parts.text,
                          "body_html": parts.html})

    def parts(self) -> Parts:
        return Parts(self.subject.data, self.body_text.data, self.body_html.data)
