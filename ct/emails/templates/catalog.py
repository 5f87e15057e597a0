"""The emails of ct, the placeholders each template may use, and their sample values.

A placeholder's value is always plain data (text or a number), formatted in the
recipient's language before it reaches a template: tenant templates never see a Python
object of the application, only these strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import format_date, format_time
from flask_babel import lazy_gettext as _l

from ct.models.base import utcnow

EXCHANGE_NOTIFICATION = "CONTACTRACKING_MAILINFO"
INVITATION = "invitation"
PASSWORD_RESET = "password_reset"
SIGNUP_CONFIRM = "signup_confirm"
ACCOUNT_EXISTS = "account_exists"
EVENT_REMINDER = "event_reminder"
TASK_ASSIGNED = "task_assigned"
DAILY_DIGEST = "daily_digest"
WEBHOOK_DISABLED = "webhook_disabled"
EXCHANGE_MENTION = "exchange_mention"


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: Any  # a lazy string
    sample: Any = ""
    # "date": a datetime given is shown as its day only (in the tenant's time zone).
    kind: str = "text"


@dataclass(frozen=True)
class EmailKind:
    name: str
    label: Any
    placeholders: tuple[Placeholder, ...]
    # Platform emails (password reset) belong to no company: always the default wording.
    editable: bool = True

    @property
    def names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.placeholders)

    def values(self, context: dict) -> dict:
        """Every placeholder as text in the current locale ("" when not given)."""
        return {p.name: plain(context.get(p.name), p.kind) for p in self.placeholders}

    def sample_values(self) -> dict:
        return self.values({p.name: _resolve(p.sample) for p in self.placeholders})


def plain(value: Any, kind: str = "text") -> str | int:
    """A value as a template may see it: text, or a whole number."""
    if kind == "date" and isinstance(value, date):
        return format_date(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(plain(v)) for v in value if v not in (None, ""))
    return str(value)


def when(moment: datetime) -> str:
    """A moment in the tenant's time zone: "mardi 1 décembre 2026, 09:00"."""
    return f"{format_date(moment, 'full')}, {format_time(moment, 'short')}"


def span(start: datetime, end: datetime) -> str:
    """A timed event's day and hours: "mardi 1 décembre 2026, 09:00 – 10:00"."""
    if format_date(start, "short") == format_date(end, "short"):
        return f"{when(start)} – {format_time(end, 'short')}"
    return f"{when(start)} – {when(end)}"


def _resolve(sample: Any) -> Any:
    return sample() if callable(sample) else sample


def _in_days(days: int):
    return lambda: utcnow().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(
        days=days)


_LINK = "https://ct.example.com/t/your-company/…"
_RECIPIENT = Placeholder("recipient_name", _l("Name of the person who receives the email"),
                         "Camille Martin")
_COMPANY = Placeholder("company", _l("Name of your company"), "Alpha Conseil")

KINDS: dict[str, EmailKind] = {
    kind.name: kind
    for kind in (
        EmailKind(EXCHANGE_NOTIFICATION, _l("Exchange notification to collaborators"), (
            _RECIPIENT,
            _COMPANY,
            Placeholder("tiers", _l("Third party of the exchange"), "Dupont SARL"),
            Placeholder("contacts", _l("Contacts of the exchange, separated by commas"),
                        "Jean Dupont, Marie Durand"),
            Placeholder("date", _l("Date and time of the exchange"), _in_days(0)),
            Placeholder("mode", _l("Contact mode (phone, email, meeting…)"), "Phone"),
            Placeholder("object", _l("Object of the exchange"), "Quote"),
            Placeholder("status", _l("Status of the exchange"), "In progress"),
            Placeholder("comment", _l("Comment"), "Asked for a quote on 12 units.\nCall back"
                        " on Monday."),
            Placeholder("confidential_comment", _l(
                "Confidential comment — empty for a recipient not allowed to read it"),
                "Budget: 10,000 €"),
            Placeholder("author", _l("Member who recorded the exchange"), "Alice Bernard"),
            Placeholder("made_by", _l("Member who made the exchange"), "Alice Bernard"),
            Placeholder("link", _l("Address of the exchange card"), _LINK),
        )),
        EmailKind(INVITATION, _l("Invitation to join the company"), (
            Placeholder("tenant_name", _l("Name of your company"), "Alpha Conseil"),
            Placeholder("inviter", _l("Member who sends the invitation"), "Alice Bernard"),
            Placeholder("link", _l("Address to accept the invitation"), _LINK),
            Placeholder("expires_at", _l("Day the invitation expires"),
                        lambda: utcnow() + timedelta(days=7), kind="date"),
        )),
        EmailKind(PASSWORD_RESET, _l("Password reset"), (
            Placeholder("name", _l("Name of the account holder"), "Camille Martin"),
            Placeholder("link", _l("Address to choose a new password"), _LINK),
            Placeholder("minutes", _l("Minutes the link stays valid"), 60),
        ), editable=False),
        EmailKind(SIGNUP_CONFIRM, _l("Sign-up confirmation"), (
            Placeholder("name", _l("Name of the person signing up"), "Camille Martin"),
            Placeholder("company", _l("Name of the company to create"), "Alpha Conseil"),
            Placeholder("link", _l("Address to confirm and choose a password"), _LINK),
            Placeholder("hours", _l("Hours the link stays valid"), 24),
        ), editable=False),
        EmailKind(ACCOUNT_EXISTS, _l("Sign-up with an email that has an account"), (
            Placeholder("name", _l("Name of the account holder"), "Camille Martin"),
            Placeholder("login_link", _l("Address of the login page"), _LINK),
            Placeholder("reset_link", _l("Address to choose a new password"), _LINK),
        ), editable=False),
        EmailKind(EVENT_REMINDER, _l("Agenda event reminder"), (
            _RECIPIENT,
            _COMPANY,
            Placeholder("title", _l("Title of the event"), "Quote review"),
            Placeholder("when", _l("Day and time of the event"), lambda: span(
                _in_days(1)(), _in_days(1)() + timedelta(hours=1))),
            Placeholder("location", _l("Location"), "12 rue de la Paix, Paris"),
            Placeholder("tiers", _l("Third party of the event"), "Dupont SARL"),
            Placeholder("contacts", _l("Contacts of the event, separated by commas"),
                        "Jean Dupont"),
            Placeholder("notes", _l("Notes of the event"), "Bring the signed order."),
            Placeholder("reminder", _l("How long before the event the reminder is sent"),
                        "30 minutes before"),
            Placeholder("link", _l("Address of the event card"), _LINK),
        )),
        EmailKind(TASK_ASSIGNED, _l("Task assigned"), (
            _RECIPIENT,
            _COMPANY,
            Placeholder("task", _l("Label of the task"), "Send the quote"),
            Placeholder("project", _l("Project of the task"), "P-2026-01 — New website"),
            Placeholder("due_date", _l("Due date of the task"), lambda: utcnow().date(),
                        kind="date"),
            Placeholder("assigned_by", _l("Member who assigned the task"), "Alice Bernard"),
            Placeholder("link", _l("Address of the recipient's task list"), _LINK),
        )),
        EmailKind(EXCHANGE_MENTION, _l("Mention in an exchange"), (
            _RECIPIENT,
            _COMPANY,
            Placeholder("mentioned_by", _l("Member who wrote the mention"), "Alice Bernard"),
            Placeholder("tiers", _l("Third party of the exchange"), "Dupont SARL"),
            Placeholder("date", _l("Date and time of the exchange"), _in_days(0)),
            Placeholder("where", _l("Where the mention is: the comment or the confidential "
                                    "comment"), "the comment"),
            Placeholder("comment", _l("Comment — empty for a mention in the confidential "
                                      "comment, which no email carries"),
                        "@Camille Martin can you send them the quote?"),
            Placeholder("link", _l("Address of the exchange card"), _LINK),
        )),
        EmailKind(DAILY_DIGEST, _l("Daily digest"), (
            _RECIPIENT,
            _COMPANY,
            Placeholder("today", _l("Today's date"), lambda: utcnow().date(), kind="date"),
            Placeholder("events_today", _l("Today's events, one per line"),
                        "- 10:00 Quote review\n- 14:30 Site visit"),
            Placeholder("tasks_due_today", _l("Tasks due today, one per line"),
                        "- Send the quote (P-2026-01)"),
            Placeholder("tasks_overdue", _l("Overdue tasks, one per line"),
                        "- Call back Dupont SARL"),
            Placeholder("link", _l("Address of the recipient's task list"), _LINK),
        )),
        EmailKind(WEBHOOK_DISABLED, _l("Webhook endpoint disabled"), (
            _RECIPIENT,
            _COMPANY,
            Placeholder("url", _l("Address of the endpoint"), "https://hooks.example.com/ct"),
            Placeholder("failures", _l("Failed attempts in a row"), 20),
            Placeholder("error", _l("The last error"), "HTTP 503 Service Unavailable"),
            Placeholder("link", _l("Address of the endpoint's page"), _LINK),
        ), editable=False),
    )
}

EDITABLE = tuple(kind for kind in KINDS.values() if kind.editable)
