"""Telling a member they were @mentioned in an exchange (ct/exchanges/mentions.py says
who may be mentioned where, and calls this once per exchange and member)."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from ct.emails.mailer import external_url, queue_email
from ct.emails.notify import common
from ct.emails.templates.catalog import EXCHANGE_MENTION
from ct.models import Exchange, Membership
from ct.models.exchange_access import can_see_confidential


def notify_mentioned(exchange: Exchange, member: Membership, sender: Membership,
                     confidential: bool) -> bool:
    """Queue the exchange_mention email to ``member``, in their language, in the saving
    transaction. Nothing for a deactivated member, nor for a mention in the confidential
    comment of someone who may not read it. The email never carries the confidential
    comment: for such a mention it says where to look, and the card shows it to them.
    Returns whether an email was queued."""
    if not common.can_receive(member):
        return False
    if confidential and not can_see_confidential(exchange, member):
        return False
    company = common.tenant(exchange.tenant_id)
    language = common.language(member)
    with force_locale(language):
        where = (gettext("the confidential comment") if confidential
                 else gettext("the comment"))
    queue_email(
        "exchange_mention", member.user.email, EXCHANGE_MENTION, language,
        recipient_name=member.user.display_name,
        company=company.name,
        mentioned_by=sender.user.display_name,
        tiers=exchange.tiers.name,
        date=exchange.occurred_at,
        where=where,
        comment=None if confidential else exchange.comment,
        link=external_url("exchanges.show", slug=company.slug, exchange_id=exchange.id),
    )
    return True
