"""What a captured email says: subject, date, text, and the people it was exchanged with.

Bcc'd to the capture address, the people are the To and Cc addresses; forwarded to it,
the original sender (the forwarded block names them). The member's own addresses and
capture addresses are never people to log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from ct.capture import forwards
from ct.capture.text import html_to_text, trimmed
from ct.core.text import N_

log = logging.getLogger(__name__)

# The reasons shown to the member, stored in English (translated on the page).
NO_HEADERS = N_("The message has no headers: it is not an email.")
BROKEN_MIME = N_("The message's MIME structure is broken.")
UNDECODABLE = N_("The message's text cannot be decoded.")

# Beyond this many addresses in To and Cc, the rest is not looked at (logged).
ADDRESSES_MAX = 50


class UnreadableEmail(ValueError):
    """The message cannot be read; the message says why, for the member."""


@dataclass
class Person:
    email: str  # lower case
    name: str = ""


@dataclass
class MailFile:
    name: str
    content: bytes


@dataclass
class ParsedEmail:
    subject: str
    sent_at: datetime | None
    text: str
    people: list[Person] = field(default_factory=list)
    forwarded: bool = False
    capped: int = 0  # addresses left out beyond ADDRESSES_MAX
    files: list[MailFile] = field(default_factory=list)


def parse(raw: bytes, own: set[str], capture_domain: str) -> ParsedEmail:
    """``own``: the member's addresses (lower case), never logged as people."""
    message = message_from_bytes(raw, policy=policy.default)
    _check_readable(message)
    subject = _header(message, "subject").strip()
    text = _body(message)
    sender = forwards.original_sender(text)
    forwarded = forwards.is_forward(subject, text)

    def wanted(email: str) -> bool:
        return bool(email) and email not in own and not email.endswith("@" + capture_domain)

    if forwarded and sender and wanted(sender[1]):
        people, capped = [Person(sender[1], sender[0])], 0
    else:
        people, capped = _recipients(message, wanted)
        sender_address = _addresses(message, "from")
        # Received by the member and forwarded without a block: the sender is the person.
        people = people or [p for p in sender_address if wanted(p.email)]
    if capped:
        log.warning("captured email with %d addresses: the first %d kept", capped + len(people),
                    len(people))
    return ParsedEmail(
        subject=forwards.without_prefix(subject) if forwarded else subject,
        sent_at=_date(message), text=trimmed(text), people=people, forwarded=forwarded,
        capped=capped, files=_files(message))


def _check_readable(message: EmailMessage) -> None:
    defects = list(message.defects)
    if not message.keys():
        raise UnreadableEmail(NO_HEADERS)
    for part in message.walk():
        defects.extend(part.defects)
    serious = [d for d in defects if type(d).__name__ in {
        "StartBoundaryNotFoundDefect", "MultipartInvariantViolationDefect",
        "CloseBoundaryNotFoundDefect", "NoBoundaryInMultipartDefect"}]
    if serious:
        log.info("captured email with a broken MIME structure: %s", serious)
        raise UnreadableEmail(BROKEN_MIME)


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "")
    except (ValueError, IndexError, TypeError):  # a header the parser cannot decode
        return ""


def _body(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except (LookupError, ValueError, KeyError) as error:
        log.info("captured email whose text cannot be decoded: %s", error)
        raise UnreadableEmail(UNDECODABLE) from error
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        return html_to_text(content)
    return content


def _files(message: EmailMessage) -> list[MailFile]:
    """The attached files (an attached email as a .eml file); not the images a text
    shows inline (logos of signatures), which have no file name or ask to be inline."""
    files = []
    for part in message.iter_attachments():
        name = part.get_filename()
        inline = part.get_content_disposition() != "attachment"
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            content = inner[0].as_bytes() if isinstance(inner, list) and inner else b""
            name = name or "message.eml"
        elif part.is_multipart() or (inline and (not name or part.get_content_maintype()
                                                 == "image")):
            continue
        else:
            content = part.get_payload(decode=True) or b""
        files.append(MailFile(name or "attachment", content))
    return files


def _addresses(message: EmailMessage, *names: str) -> list[Person]:
    values = [_header(message, name) for name in names]
    found, seen = [], set()
    for name, email in getaddresses([v for v in values if v]):
        email = email.strip().lower()
        if "@" in email and email not in seen:
            seen.add(email)
            found.append(Person(email, name.strip()))
    return found


def _recipients(message: EmailMessage, wanted) -> tuple[list[Person], int]:
    people = [p for p in _addresses(message, "to", "cc") if wanted(p.email)]
    return people[:ADDRESSES_MAX], max(0, len(people) - ADDRESSES_MAX)


def _date(message: EmailMessage) -> datetime | None:
    try:
        sent = parsedate_to_datetime(_header(message, "date"))
    except (TypeError, ValueError, IndexError):
        return None
    if sent is None:
        return None
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    return sent.astimezone(UTC)
