"""Notifications by email: collaborators of an exchange, members @mentioned in it,
assignees of tasks, reminders of agenda events, the daily digest. Every email goes through
the outbox (ct.emails.mailer), in the transaction that causes it."""

from ct.emails.notify.digest import send_daily_digests
from ct.emails.notify.exchanges import exchange_link, notify_collaborators
from ct.emails.notify.mentions import notify_mentioned
from ct.emails.notify.reminders import send_due_reminders
from ct.emails.notify.tasks import notify_task_assigned

__all__ = ["exchange_link", "notify_collaborators", "notify_mentioned", "notify_task_assigned",
           "send_daily_digests", "send_due_reminders"]
