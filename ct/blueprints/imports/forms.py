from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ct.models.import_run import KIND_CONTACTS, KIND_TIERS


class UploadForm(FlaskForm):
    kind = RadioField(
        _l("What do you import?"),
        choices=[SelectChoice(KIND_TIERS, _l("Third parties")),
                 SelectChoice(KIND_CONTACTS, _l("Contacts"))],
        default=KIND_TIERS,
        validators=[InputRequired(_l("Choose what the file holds."))],
    )
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
