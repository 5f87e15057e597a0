"""Telling the collaborators of an exchange about it (CONTACTRACKING_MAILINFO)."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from ct.emails.mailer import external_url, queue_email
from ct.emails.notify import common
from ct.emails.templates.catalog import EXCHANGE_NOTIFICATION
from ct.extensions import db
from ct.models import Choice, Exchange, Membership, Tenant
from ct.models.choices import KIND_STATUS, choice_labels
from ct.models.exchange_access import can_see_confidential


def notify_collaborators(exchange: Exchange,
                         sender: Membership | None = None) -> list[Membership]:
    """Queue one email per collaborator of ``exchange``, each in their own language.

    Call it in the transaction that saves the exchange (after a flush, so it has an id)
    when "notify" is ticked: the emails exist if and only if the exchange does. The
    member saving it (``sender``, by default the author) is not told about their own
    exchange. The confidential comment goes only to those allowed to read it.

    Returns the collaborators who were NOT notified because they cannot receive email
    (deactivated members), for the page to list back to the author.
    """
    sender_id = sender.id if sender is not None else exchange.author_id
    company = common.tenant(exchange.tenant_id)
    not_notified: list[Membership] = []
    done: set[int] = set()
    for member in exchange.collaborators:
        if member.id in done or member.id == sender_id:
            continue
        done.add(member.id)
        if not common.can_receive(member):
            not_notified.append(member)
            continue
        language = common.language(member)
        with force_locale(language):  # labels of the tenant's lists, in the reader's language
            context = exchange_context(exchange, member, company)
        audience = ((exchange.author_id, exchange.confidential_group_id)
                    if context["confidential_comment"] else None)
        queue_email("exchange_notification", member.user.email, EXCHANGE_NOTIFICATION, language,
                    confidential_audience=audience, **context)
    return not_notified


def exchange_context(exchange: Exchange, reader: Membership, company: Tenant) -> dict:
    """The placeholders of CONTACTRACKING_MAILINFO for one reader."""
    confidential = (exchange.confidential_comment
                    if can_see_confidential(exchange, reader) else None)
    # The names from the company's kept lists: no statement per collaborator.
    labels = choice_labels({exchange.mode_id, exchange.object_id})
    return {
        "recipient_name": reader.user.display_name,
        "company": company.name,
        "tiers": exchange.tiers.name,
        "contacts": [contact.full_name for contact in exchange.contacts],
        "date": exchange.occurred_at,
        "mode": labels.get(exchange.mode_id),
        "object": labels.get(exchange.object_id),
        "status": _status_label(exchange.status),
        "comment": exchange.comment,
        "confidential_comment": confidential,
        "author": exchange.author.user.display_name,
        "made_by": exchange.made_by.user.display_name,
        "link": exchange_link(exchange, company.slug),
    }


def exchange_link(exchange: Exchange, slug: str) -> str:
    return external_url("exchanges.show", slug=slug, exchange_id=exchange.id)


def _status_label(code: str) -> str:
    """The tenant's label of a status, in the current language (the lists are read once
    per request, not once per collaborator)."""
    choice = next((c for c in Choice.active_of(KIND_STATUS) if c.code == code), None)
    if choice is None:
        choice = db.session.scalar(
            select(Choice).where(Choice.kind == KIND_STATUS, Choice.code == code))
    return choice.display if choice is not None else code
