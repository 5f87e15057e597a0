"""Tasks: "My tasks", create and edit, tick off in one click, delete.

Rights: see ``PLAN_RIGHTS`` — a member who writes exchanges or manages records may
create, edit, tick off and delete tasks; every member reads them.
"""

from __future__ import annotations

from flask import flash, g, request, url_for
from flask_babel import gettext as _

from ct.blueprints.projects import bp
from ct.blueprints.projects.forms import TaskForm
from ct.blueprints.projects.planning import my_tasks as load_my_tasks
from ct.blueprints.projects.planning import set_done
from ct.blueprints.projects.routes import render_card
from ct.core.ids import submitted_id
from ct.core.permissions import PLAN_RIGHTS, require_any_right
from ct.core.zone import local_today
from ct.emails.notify import notify_task_assigned
from ct.exchanges.links import exchanges_following_tasks, unlink_tasks
from ct.extensions import db
from ct.models import Membership, Project, Task
from ct.web.htmx import is_htmx_request, redirect_to, render
from ct.web.lookups import get_or_404


def safe_next(default: str) -> str:
    """Where to go back after a plain (non-htmx) post: a path of this site only."""
    target = request.values.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@bp.get("/tasks")
def my_tasks():
    today = local_today()
    tasks = load_my_tasks(g.membership.id, today, request.args.get("cursor"))
    return render("projects/my_tasks.html", tasks=tasks, today=today)


def apply_task(form: TaskForm, task: Task) -> None:
    task.label = form.label.data
    task.project_id = form.project.data
    task.assignee_id = form.assignee.data
    task.due_date = form.due_date.data
    set_done(task, form.done.data)


def save_task(form: TaskForm, task: Task, by: Membership) -> None:
    """Apply the checked form and, in the same transaction (the caller commits), queue
    the assignee's email when the task goes to someone new."""
    previous_assignee_id = task.assignee_id  # None for a new task
    apply_task(form, task)
    db.session.add(task)
    db.session.flush()
    notify_task_assigned(task, by, previous_assignee_id)


def render_task_form(form: TaskForm, task: Task | None, status: int = 200):
    return render("projects/task_form.html", block="task_form", status=status,
                  form=form.fill_choices(), task=task, back=safe_next(url_for(".my_tasks")))


@bp.route("/tasks/new", methods=["GET", "POST"])
@require_any_right(*PLAN_RIGHTS)
def create_task():
    project_id = submitted_id(request.args.get("project"))
    form = TaskForm(data={"assignee": g.membership.id, "project": project_id})
    if form.validate_on_submit():
        task = Task(created_by_id=g.membership.id, done=False)
        save_task(form, task, g.membership)
        db.session.commit()
        flash(_("Task added."), "success")
        return redirect_to(safe_next(url_for(".my_tasks")))
    return render_task_form(form, None, 422 if form.is_submitted() else 200)


@bp.post("/<int:project_id>/tasks")
@require_any_right(*PLAN_RIGHTS)
def add_project_task(project_id: int):
    """The card's quick form: the project comes from the URL, the section is redrawn."""
    project = get_or_404(Project, project_id)
    form = TaskForm()
    form.project.data = project.id
    if not form.validate():
        return render_card(project, form, status=422)
    task = Task(created_by_id=g.membership.id, done=False)
    save_task(form, task, g.membership)
    db.session.commit()
    if not is_htmx_request():
        flash(_("Task added."), "success")
        return redirect_to(url_for(".card", project_id=project.id))
    return render_card(project)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@require_any_right(*PLAN_RIGHTS)
def edit_task(task_id: int):
    task = get_or_404(Task, task_id)
    form = TaskForm(data={"label": task.label, "project": task.project_id,
                          "assignee": task.assignee_id, "due_date": task.due_date,
                          "done": task.done})
    if form.validate_on_submit():
        save_task(form, task, g.membership)
        db.session.commit()
        flash(_("Task saved."), "success")
        return redirect_to(safe_next(url_for(".my_tasks")))
    return render_task_form(form, task, 422 if form.is_submitted() else 200)


@bp.post("/tasks/<int:task_id>/done")
@require_any_right(*PLAN_RIGHTS)
def toggle_task(task_id: int):
    """One click: ``done=1`` ticks off, ``done=0`` reopens (a second click is harmless)."""
    task = get_or_404(Task, task_id)
    set_done(task, request.form.get("done") == "1")
    db.session.commit()
    if not is_htmx_request():
        return redirect_to(safe_next(url_for(".my_tasks")))
    return render("projects/_task.html", task=task, today=local_today(),
                  next_url=safe_next(url_for(".my_tasks")),
                  show_project=request.form.get("show_project") == "1")


@bp.route("/tasks/<int:task_id>/delete", methods=["GET", "POST"])
@require_any_right(*PLAN_RIGHTS)
def delete_task(task_id: int):
    task = get_or_404(Task, task_id)
    back = safe_next(url_for(".my_tasks"))
    if request.method == "POST":
        unlink_tasks([task.id])  # the exchanges it follows up stay, without the link
        db.session.delete(task)
        db.session.commit()
        flash(_("Task deleted."), "success")
        return redirect_to(back)
    return render("projects/task_delete.html", task=task, back=back,
                  follow_ups=exchanges_following_tasks([task.id]))
