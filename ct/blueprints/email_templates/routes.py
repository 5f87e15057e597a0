"""The email templates editor: each email of ct, per language, worded by the company.

Rights: admins, or members holding MANAGE_TEMPLATES. Nothing is saved unless all three
parts parse, use only the email's placeholders and render with the sample values.
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, render_template, request, url_for
from flask_babel import gettext as _

from ct.blueprints.email_templates import bp
from ct.blueprints.email_templates.forms import TemplateForm
from ct.core.permissions import MANAGE_TEMPLATES, require_right
from ct.emails.templates import (
    EDITABLE,
    KINDS,
    check_parts,
    current_parts,
    default_parts,
    preview,
)
from ct.emails.templates.catalog import EmailKind
from ct.emails.templates.frame import sandboxed_html
from ct.extensions import db
from ct.models import EmailTemplate
from ct.web.htmx import redirect_to, render

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def _kind_or_404(name: str, language: str) -> EmailKind:
    kind = KINDS.get(name)
    if kind is None or not kind.editable or language not in current_app.config["LANGUAGES"]:
        abort(404)
    return kind


def _field_errors(form: TemplateForm, kind: EmailKind, language: str) -> bool:
    """Validate the form, then the templates; errors end up next to their fields."""
    if not form.validate():
        return False
    problems = check_parts(kind, language, form.parts())
    for field, message in problems.items():
        getattr(form, field).errors.append(message)
    return not problems


@bp.get("/")
@require_right(MANAGE_TEMPLATES)
def index():
    return render("email_templates/index.html", kinds=EDITABLE, languages=LANGUAGE_NAMES,
                  custom=EmailTemplate.all_of_tenant())


def _edit_page(form: TemplateForm, kind: EmailKind, language: str, custom, status: int = 200,
               rendered=None):
    return render("email_templates/edit.html", status=status, form=form, kind=kind,
                  language=language, languages=LANGUAGE_NAMES, custom=custom,
                  rendered=rendered)


@bp.route("/<name>/<language>", methods=["GET", "POST"])
@require_right(MANAGE_TEMPLATES)
def edit(name: str, language: str):
    kind = _kind_or_404(name, language)
    parts, custom = current_parts(kind, language)
    if request.method == "GET":
        return _edit_page(TemplateForm.of(parts), kind, language, custom,
                          rendered=preview(kind, language, parts))
    form = TemplateForm()
    if not _field_errors(form, kind, language):
        return _edit_page(form, kind, language, custom, status=422)
    if custom is None:
        custom = EmailTemplate(name=kind.name, language=language)
        db.session.add(custom)
    parts = form.parts()
    custom.subject, custom.body_text, custom.body_html = parts.subject, parts.text, parts.html
    custom.updated_by_id = g.membership.id
    db.session.commit()
    flash(_("Template “%(name)s” (%(language)s) saved.", name=kind.label,
            language=LANGUAGE_NAMES[language]), "success")
    return redirect_to(url_for(".edit", name=kind.name, language=language))


@bp.post("/<name>/<language>/preview")
@require_right(MANAGE_TEMPLATES)
def live_preview(name: str, language: str):
    """The preview pane (htmx, as the admin types): the errors, or the email with
    sample values."""
    kind = _kind_or_404(name, language)
    form = TemplateForm()
    rendered = preview(kind, language, form.parts()) if _field_errors(form, kind, language) \
        else None
    # Without htmx (no script) the whole editor comes back: it needs the page's context.
    return render("email_templates/edit.html", block="preview", form=form, kind=kind,
                  language=language, languages=LANGUAGE_NAMES,
                  custom=current_parts(kind, language)[1], rendered=rendered)


@bp.route("/<name>/<language>/html", methods=["GET", "POST"])
@require_right(MANAGE_TEMPLATES)
def html_preview(name: str, language: str):
    """The HTML email with sample values, for the editor's sandboxed frame: the saved
    wording (GET) or the one being typed (POST, "Show the HTML email")."""
    kind = _kind_or_404(name, language)
    if request.method == "GET":
        return sandboxed_html(preview(kind, language, current_parts(kind, language)[0]).html)
    form = TemplateForm()
    if not _field_errors(form, kind, language):
        return sandboxed_html(render_template("email_templates/_frame_errors.html", form=form),
                              status=422)
    return sandboxed_html(preview(kind, language, form.parts()).html)


@bp.route("/<name>/<language>/reset", methods=["GET", "POST"])
@require_right(MANAGE_TEMPLATES)
def reset(name: str, language: str):
    kind = _kind_or_404(name, language)
    custom = EmailTemplate.find(kind.name, language)
    back = url_for(".edit", name=kind.name, language=language)
    if request.method == "POST":
        if custom is not None:
            db.session.delete(custom)
            db.session.commit()
        flash(_("Template “%(name)s” (%(language)s) reset to the default wording.",
                name=kind.label, language=LANGUAGE_NAMES[language]), "success")
        return redirect_to(back)
    return render("email_templates/reset.html", kind=kind, language=language,
                  languages=LANGUAGE_NAMES, custom=custom, back=back,
                  default=default_parts(kind.name, language))
