"""The inbound SMTP service (``flask ct capture-smtp``, the Procfile's ``capture``).

Recipients are checked at RCPT time: only live capture addresses are taken (550 for any
other), at most CAPTURE_MAX_RECIPIENTS of them (452 beyond, the sender sends the rest
later). A message over CAPTURE_MAX_BYTES is refused with 552 by aiosmtpd itself. The
message is answered 250 only once its raw row is committed; if the database cannot be
reached the answer is 451 and the sending server tries again later, so no mail is lost.

The database work runs in a thread of the loop's executor, never in the event loop
itself: a slow database delays one message, not the whole service.
"""

from __future__ import annotations

import asyncio
import logging
import ssl

from aiosmtpd.controller import Controller
from flask import Flask

from ct.capture.inbox import Mailbox, keep, resolve

log = logging.getLogger(__name__)

ACCEPTED = "250 2.0.0 Message kept"
RECIPIENT_OK = "250 2.1.5 Recipient ok"
UNKNOWN_RECIPIENT = "550 5.1.1 No such capture address"
TOO_MANY_RECIPIENTS = "452 4.5.3 Too many recipients"
TRY_AGAIN = "451 4.3.0 Temporary failure, please try again later"


class CaptureHandler:
    """aiosmtpd handler: RCPT resolves the capture address, DATA keeps the message."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def _in_app(self, func, *args):
        def run():
            with self.app.app_context():
                return func(*args)

        return asyncio.get_running_loop().run_in_executor(None, run)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if len(envelope.rcpt_tos) >= self.app.config["CAPTURE_MAX_RECIPIENTS"]:
            log.warning("capture: recipient %s refused, more than %d in one message",
                        address, self.app.config["CAPTURE_MAX_RECIPIENTS"])
            return TOO_MANY_RECIPIENTS
        try:
            mailbox = await self._in_app(resolve, address)
        except Exception:  # the database is down: the sender tries again later
            log.warning("capture: could not look up %s", address, exc_info=True)
            return TRY_AGAIN
        if mailbox is None:
            return UNKNOWN_RECIPIENT
        envelope.rcpt_tos.append(address)
        envelope.ct_mailboxes = [*getattr(envelope, "ct_mailboxes", []), mailbox]
        return RECIPIENT_OK

    async def handle_DATA(self, server, session, envelope):
        mailboxes: list[Mailbox] = getattr(envelope, "ct_mailboxes", [])
        if not mailboxes:
            return "554 5.5.1 No valid recipients"
        try:
            await self._in_app(keep, envelope.mail_from or "", mailboxes,
                               envelope.original_content or envelope.content)
        except Exception:
            log.warning("capture: could not keep a message from %s", envelope.mail_from,
                        exc_info=True)
            return TRY_AGAIN
        return ACCEPTED


def controller(app: Flask, hostname: str, port: int) -> Controller:
    """The SMTP server, not started; the size limit answers 552 past CAPTURE_MAX_BYTES.
    With CAPTURE_TLS_CERT and CAPTURE_TLS_KEY it offers STARTTLS (not required: a
    sending server without TLS still delivers)."""
    return Controller(CaptureHandler(app), hostname=hostname, port=port,
                      data_size_limit=app.config["CAPTURE_MAX_BYTES"],
                      enable_SMTPUTF8=True,  # internationalised addresses in To and Cc
                      tls_context=_tls_context(app),
                      server_hostname=app.config["MAIL_CAPTURE_DOMAIN"])


def _tls_context(app: Flask) -> ssl.SSLContext | None:
    cert, key = app.config["CAPTURE_TLS_CERT"], app.config["CAPTURE_TLS_KEY"]
    if not (cert and key):
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
