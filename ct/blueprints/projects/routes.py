"""Projects: list, card, create, edit, close and reopen, delete."""

from __future__ import annotations

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ct.blueprints.exchange_list.routes import NO_FILTERS, history_context
from ct.blueprints.projects import bp
from ct.blueprints.projects.forms import ProjectForm, TaskForm
from ct.core.ids import submitted_id
from ct.core.pagination import keyset_page
from ct.core.permissions import (
    DELETE_TIERS,
    MANAGE_RECORDS,
    PLAN_RIGHTS,
    require_any_right,
    require_right,
)
from ct.core.search import MAX_QUERY
from ct.core.tenancy import find
from ct.core.text import like_escaped
from ct.core.zone import local_today
from ct.exchanges.links import (
    exchanges_following_tasks,
    exchanges_naming_project,
    project_task_ids,
    unlink_tasks,
)
from ct.extensions import db
from ct.models import Project, Task, Tiers
from ct.models.project import PROJECT_CLOSED, PROJECT_OPEN
from ct.web.htmx import is_htmx_request, redirect_to, render
from ct.web.lookups import get_or_404, project_search_options, tiers_choices

STATUSES = {"open": _l("Open"), "closed": _l("Closed"), "all": _l("All")}
SORTS = {"reference": _l("Reference"), "title": _l("Title")}
# A project card lists this many tasks; the others are reached through "My tasks".
CARD_TASKS_SHOWN = 200


def contains_pattern(q: str) -> str:
    """A case-insensitive LIKE pattern for ``q`` anywhere, wildcards escaped."""
    escaped = like_escaped(q.lower())
    return f"%{escaped}%"


def text_match(q: str):
    pattern = contains_pattern(q)
    return or_(func.lower(Project.reference).like(pattern, escape="\\"),
               func.lower(Project.title).like(pattern, escape="\\"))


@bp.get("/")
def index():
    status = request.args.get("status", "open")
    status = status if status in STATUSES else "open"
    sort = request.args.get("sort", "reference")
    sort = sort if sort in SORTS else "reference"
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    tiers = find(Tiers, submitted_id(request.args.get("tiers")))

    query = select(Project).options(selectinload(Project.tiers))
    if status != "all":
        query = query.where(Project.status == status)
    if q:
        query = query.where(text_match(q))
    if tiers is not None:
        query = query.where(Project.tiers_id == tiers.id)
    order = [Project.reference, Project.id] if sort == "reference" else [Project.title, Project.id]
    page = keyset_page(query, order, request.args.get("cursor"))
    filters = {"status": status, "sort": sort, "q": q or None,
               "tiers": tiers.id if tiers else None}
    return render("projects/index.html", block="results", page=page, filters=filters,
                  statuses=STATUSES, sorts=SORTS, tiers=tiers)


def card_tasks(project: Project) -> list[Task]:
    return list(db.session.scalars(
        select(Task).where(Task.project_id == project.id)
        .order_by(Task.done, Task.due_date.is_(None), Task.due_date, Task.id)
        .limit(CARD_TASKS_SHOWN).options(selectinload(Task.assignee))
    ))


def render_card(project: Project, task_form: TaskForm | None = None, status: int = 200):
    task_form = task_form or TaskForm(formdata=None, data={"assignee": g.membership.id})
    task_form.fill_choices(with_project=False)
    history = {} if is_htmx_request() else history_context("project", project, NO_FILTERS)
    return render("projects/card.html", block="tasks_section", status=status, project=project,
                  tasks=card_tasks(project), task_form=task_form, today=local_today(),
                  **history)


@bp.get("/<int:project_id>")
def card(project_id: int):
    return render_card(get_or_404(Project, project_id))


def _saved(form: ProjectForm) -> bool:
    """Commit, turning a reference taken meanwhile by someone else into a field error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.reference.errors.append(_("Another project already has this reference."))
        return False
    return True


def render_form(form: ProjectForm, project: Project | None, status: int = 200):
    return render("projects/form.html", block="project_form", status=status, form=form,
                  project=project)


@bp.route("/new", methods=["GET", "POST"])
@require_right(MANAGE_RECORDS)
def create():
    form = ProjectForm(prefill_tiers=submitted_id(request.args.get("tiers")))
    if form.validate_on_submit():
        project = Project(status=PROJECT_OPEN, created_by_id=g.membership.id)
        form.apply_to(project)
        db.session.add(project)
        if _saved(form):
            flash(_("Project %(reference)s created.", reference=project.reference), "success")
            return redirect_to(url_for(".card", project_id=project.id))
    return render_form(form, None, 422 if form.is_submitted() else 200)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@require_right(MANAGE_RECORDS)
def edit(project_id: int):
    project = get_or_404(Project, project_id)
    form = ProjectForm(project=project)
    if form.validate_on_submit():
        form.apply_to(project)
        if _saved(form):
            flash(_("Project %(reference)s saved.", reference=project.reference), "success")
            return redirect_to(url_for(".card", project_id=project.id))
        project = get_or_404(Project, project_id)  # the rollback expired it
    return render_form(form, project, 422 if form.is_submitted() else 200)


@bp.post("/<int:project_id>/close")
@require_right(MANAGE_RECORDS)
def close(project_id: int):
    return _set_status(get_or_404(Project, project_id), PROJECT_CLOSED,
                       _l("Project %(reference)s closed."))


@bp.post("/<int:project_id>/reopen")
@require_right(MANAGE_RECORDS)
def reopen(project_id: int):
    return _set_status(get_or_404(Project, project_id), PROJECT_OPEN,
                       _l("Project %(reference)s reopened."))


def _set_status(project: Project, status: str, message):
    project.status = status
    db.session.commit()
    flash(str(message) % {"reference": project.reference}, "success")
    return redirect_to(url_for(".card", project_id=project.id))


@bp.route("/<int:project_id>/delete", methods=["GET", "POST"])
@require_right(DELETE_TIERS)
def delete_project(project_id: int):
    project = get_or_404(Project, project_id)
    task_ids = project_task_ids(project.id)
    page = {"project": project, "task_count": len(task_ids),
            "exchanges": exchanges_naming_project(project.id),
            "follow_ups": exchanges_following_tasks(task_ids) if task_ids else 0}
    if page["exchanges"]:
        # Its exchanges would lose what they were about: refuse, offer to close it.
        status = 409 if request.method == "POST" else 200
        return render("projects/delete.html", status=status, **page)
    if request.method == "POST":
        reference = project.reference
        # Its tasks go with it (the confirmation page said how many); the exchanges
        # they follow up stay, without the link.
        unlink_tasks(task_ids)
        db.session.execute(delete(Task).where(Task.project_id == project.id))
        db.session.delete(project)
        db.session.commit()
        flash(_("Project %(reference)s deleted.", reference=reference), "success")
        return redirect_to(url_for(".index"))
    return render("projects/delete.html", **page)


@bp.get("/tiers-options")
def tiers_options():
    """The <option>s of the third-party select, narrowed by the search box beside it."""
    selected = submitted_id(request.args.get("tiers"))
    q = (request.args.get("tiers_q") or "")[:MAX_QUERY]
    return render("projects/_options.html", choices=tiers_choices(selected, q), selected=[selected])


# The project selects with a search box: the exchange's, its follow-up task's, a task's.
PROJECT_SELECTS = ("project_id", "task_project_id", "project")


@bp.get("/project-options")
@require_any_right(*PLAN_RIGHTS)
def project_options():
    """The options of a project select narrowed by the search box beside it (named after
    the select, ``<select>_q``): the request carries the box and the select, whose
    chosen project stays offered."""
    for name in PROJECT_SELECTS:
        q = request.args.get(f"{name}_q")
        if q is not None:
            break
    options, selected = project_search_options(q or "", submitted_id(request.args.get(name)))
    return render("projects/_project_options.html", options=options, selected=selected)
