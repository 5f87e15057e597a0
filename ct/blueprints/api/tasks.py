"""/api/v1/tasks: list, read, create, update and delete tasks.

Nothing here decides what a valid task is: a write goes through the task page's form
and ``save_task`` (its checks and messages; the assignee emailed through the outbox
when the task goes to someone new), ticking off through ``set_done`` (when it was done),
a deletion does what the page does: the exchanges that follow the task up lose the
link, and the task is deleted for good. The list is in the order of My tasks (soonest
due first, no due date last) and takes its "mine".
"""

from __future__ import annotations

from flask import g, url_for
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from ct.blueprints.api import common as api
from ct.blueprints.api import tasks_bp as bp
from ct.blueprints.api.task_schemas import (
    MINE,
    TaskPageSchema,
    TaskQuerySchema,
    TaskSchema,
    TaskWriteSchema,
)
from ct.blueprints.projects.forms import TaskForm
from ct.blueprints.projects.planning import DUE_ORDER, mine
from ct.blueprints.projects.tasks import save_task
from ct.core.pagination import cursor_clause, keyset_page
from ct.core.permissions import PLAN_RIGHTS, require_any_right
from ct.core.tenancy import find
from ct.exchanges.links import unlink_tasks
from ct.extensions import db
from ct.models import Membership, Project, Task

WRITTEN = tuple(TaskWriteSchema().fields)  # the fields a PATCH may change
# The API's names of the form's fields (its messages are given under them).
API_NAMES = {"project": "project_id", "assignee": "assignee_id"}
NOT_FOUND, STALE, FORBIDDEN = api.record_answers(bp, "task")


class ApiTaskForm(TaskForm):
    """The page's form as the API's create and update helpers use it."""

    @property
    def errors(self):
        return {API_NAMES.get(name, name): messages
                for name, messages in super().errors.items()}

    def fill(self, task: Task) -> None:
        save_task(self, task, g.membership)


def _dump(task: Task) -> dict:
    return {
        "id": task.id, "label": task.label, "project_id": task.project_id,
        "assignee_id": task.assignee_id,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "done": bool(task.done), "done_at": api.moment(task.done_at),
        "created_by_id": task.created_by_id,
        "created_at": api.moment(task.created_at), "updated_at": api.moment(task.updated_at),
    }


def _form(values: dict, task: Task | None) -> ApiTaskForm:
    """The page's form, filled from JSON values instead of a posted form."""
    data = {"label": values.get("label"), "project": values.get("project_id"),
            "assignee": values.get("assignee_id"), "done": values.get("done"),
            "due_date": values.get("due_date")}  # a day, or as read: YYYY-MM-DD
    if task is None and "assignee_id" not in values:
        data["assignee"] = g.membership.id  # as the page's new task
    return ApiTaskForm(formdata=api.form_data(data), meta={"csrf": False})


def _delete(task: Task, _member) -> None:
    unlink_tasks([task.id])  # the exchanges it follows up stay, without the link
    db.session.delete(task)


def _found(model, record_id: int | None) -> None:
    """A filter's record of another company is a 404, as the contacts' `tiers`."""
    if record_id is not None and find(model, record_id) is None:
        raise NotFound()


@bp.get("/")
@bp.arguments(TaskQuerySchema, location="query", as_kwargs=True)
@bp.response(200, TaskPageSchema)
@api.problem_answer(bp, 404, "The `assignee` or `project` filter names no member or "
                             "project of the company.")
def list_tasks(assignee, done, project, cursor, limit):
    """Tasks soonest due first, no due date last, one page at a time (keyset
    pagination: pass `next` as `cursor`)."""
    query = select(Task)
    if assignee == MINE:
        query = query.where(mine(g.membership.id))
    elif assignee is not None:
        _found(Membership, int(assignee))
        query = query.where(Task.assignee_id == int(assignee))
    if done is not None:
        query = query.where(Task.done.is_(done))
    if project is not None:
        _found(Project, project)
        query = query.where(Task.project_id == project)
    if cursor and cursor_clause(DUE_ORDER, cursor) is None:
        raise api.bad_cursor()
    return api.page_answer(keyset_page(query, DUE_ORDER, cursor, limit), _dump)


@bp.get("/<int:task_id>")
@api.record_response(bp, TaskSchema)
@NOT_FOUND
def get_task(task_id: int):
    """One task; its ETag goes in If-Match to update it safely."""
    return api.tagged(_dump(api.one_or_404(Task, task_id)))


@bp.post("/")
@bp.arguments(TaskWriteSchema)
@api.created_response(bp, TaskSchema)
@FORBIDDEN
@require_any_right(*PLAN_RIGHTS)
def create_task(values: dict):
    """Create a task, as the task page does: its assignee gets an email (unless it is
    the token's member). Send an Idempotency-Key header to retry safely."""
    return api.create_with_form(Task, _form, values, _dump,
                                lambda t: url_for("api_tasks.get_task", task_id=t.id))


@bp.patch("/<int:task_id>")
@bp.arguments(TaskWriteSchema)
@api.record_response(bp, TaskSchema)
@FORBIDDEN
@NOT_FOUND
@STALE
@require_any_right(*PLAN_RIGHTS)
def update_task(values: dict, task_id: int):
    """Change some fields (`done: true` ticks it off); a new assignee gets an email. With
    If-Match (the ETag read), a stale change is refused (412)."""
    return api.update_with_form(Task, task_id, _form, values, _dump, WRITTEN)


@bp.delete("/<int:task_id>")
@bp.response(204)
@FORBIDDEN
@NOT_FOUND
@STALE
@require_any_right(*PLAN_RIGHTS)
def delete_task(task_id: int):
    """Delete a task for good, as its page does; the exchanges that follow it up stay,
    without the link."""
    return api.delete_record(Task, task_id, _dump, _delete)
