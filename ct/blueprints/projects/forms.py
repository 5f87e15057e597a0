"""Project and task forms: lengths from the models, related ids checked in the bound tenant."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ct.core.tenancy import find
from ct.extensions import db
from ct.models import Membership, Project, Tiers
from ct.models.project import DESCRIPTION_MAX, LABEL_MAX, REFERENCE_MAX, TITLE_MAX
from ct.web.fields import IdSelectField, LocalDateField
from ct.web.forms import name_field
from ct.web.lookups import member_choices, project_choices, tiers_choices
from ct.web.record_fields import plain_text

TOO_LONG = _l("At most %(max)d characters.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ProjectForm(FlaskForm):
    reference = name_field(_l("Reference"), REFERENCE_MAX)
    title = name_field(_l("Title"), TITLE_MAX)
    tiers = IdSelectField(_l("Third party"))
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=DESCRIPTION_MAX, message=TOO_LONG), plain_text],
        filters=[_strip],
    )

    def __init__(self, *args, project: Project | None = None, prefill_tiers: int | None = None,
                 **kwargs):
        super().__init__(*args, obj=project, **kwargs)
        self._project = project
        if not self.is_submitted():
            # The relationship is not an id: set the id ourselves (or the ?tiers= prefill,
            # ignored when it names no third party of this tenant).
            self.tiers.data = project.tiers_id if project is not None else None
            if prefill_tiers and find(Tiers, prefill_tiers) is not None:
                self.tiers.data = prefill_tiers
        self.tiers.choices = tiers_choices(self.tiers.data or None)

    def validate_reference(self, field):
        query = select(Project.id).where(Project.reference == field.data)
        if self._project is not None:
            query = query.where(Project.id != self._project.id)
        if db.session.scalar(query) is not None:
            raise ValidationError(_l("Another project already has this reference."))

    def validate_tiers(self, field):
        if field.data is not None and find(Tiers, field.data) is None:
            raise ValidationError(_l("Choose an existing third party."))

    def apply_to(self, project: Project) -> None:
        project.reference = self.reference.data
        project.title = self.title.data
        project.tiers_id = self.tiers.data
        project.description = self.description.data or None


class TaskForm(FlaskForm):
    label = name_field(_l("Task"), LABEL_MAX)
    project = IdSelectField(_l("Project"))
    assignee = IdSelectField(_l("Assigned to"))
    due_date = LocalDateField(_l("Due date"), validators=[Optional()])
    done = BooleanField(_l("Done"))

    def validate_project(self, field):
        if field.data is not None and find(Project, field.data) is None:
            raise ValidationError(_l("Choose an existing project."))

    def validate_assignee(self, field):
        if field.data is None:
            return
        member = find(Membership, field.data)
        if member is None or not member.active:
            raise ValidationError(_l("Choose an active member."))

    def fill_choices(self, with_project: bool = True) -> TaskForm:
        """The options of the selects; the project card's quick form has no project
        select (its project is the card's)."""
        if with_project:
            self.project_options, self.many_projects = project_choices([self.project.data])
        self.assignee.choices = member_choices()
        return self
