"""Telling a member that a task was assigned to them."""

from __future__ import annotations

from ct.core.tenancy import find
from ct.emails.mailer import external_url, queue_email
from ct.emails.notify import common
from ct.emails.templates.catalog import TASK_ASSIGNED
from ct.models import Membership, Project, Task


def notify_task_assigned(task: Task, assigned_by: Membership,
                         previous_assignee_id: int | None = None) -> bool:
    """Queue the task_assigned email if ``task`` now goes to someone new.

    Call it in the transaction that saves the task, after a flush, with the assignee
    the task had before the change (None for a new task). Nothing is sent when the task
    has no assignee, keeps the same one, or is assigned by its assignee to themselves;
    nor to a deactivated member. Returns whether an email was queued.
    """
    if task.assignee_id is None or task.assignee_id == previous_assignee_id:
        return False
    if task.assignee_id == assigned_by.id:
        return False
    # By id, not through the relationships: a form sets the ids, the objects may be stale.
    assignee = find(Membership, task.assignee_id)
    if not common.can_receive(assignee):
        return False
    company = common.tenant(task.tenant_id)
    project = find(Project, task.project_id)
    queue_email(
        "task_assigned", assignee.user.email, TASK_ASSIGNED, common.language(assignee),
        recipient_name=assignee.user.display_name,
        company=company.name,
        task=task.label,
        project=project.label if project else None,
        due_date=task.due_date,
        assigned_by=assigned_by.user.display_name,
        link=external_url("projects.my_tasks", slug=company.slug),
    )
    return True
