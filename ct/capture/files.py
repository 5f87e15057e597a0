"""The files of a captured email, kept with the exchanges it logs.

Each file is checked as one chosen in the pop-up (size, content: ct/attachments/files.py).
A refused one, or one beyond the exchange's count, is not kept: the exchange's comment
says which and why, in the member's language, so nothing is dropped silently.
"""

from __future__ import annotations

import io

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ct.attachments.files import CheckedFile, attach, check
from ct.capture.parse import MailFile
from ct.models import Exchange, Membership
from ct.models.attachment import SOURCE_EMAIL
from ct.models.exchange import COMMENT_MAX


def keep_mail_files(exchange: Exchange, files: list[MailFile], member: Membership) -> None:
    if not files:
        return
    most = current_app.config["ATTACHMENTS_PER_EXCHANGE"]
    with force_locale(member.user.language or "fr"):
        kept: list[CheckedFile] = []
        refused: list[str] = []
        for file in files:
            result = check(file.name, io.BytesIO(file.content))
            if isinstance(result, str):
                refused.append(result)
            elif len(kept) >= most:
                refused.append(_("“%(name)s”: an exchange keeps %(max)d files at most.",
                                 name=result.name, max=most))
            else:
                kept.append(result)
        attach(exchange, kept, member, SOURCE_EMAIL)
        if refused:
            note = _("Attachments of the email not kept:") + "\n" + \
                "\n".join(f"- {reason}" for reason in refused)
            exchange.comment = "\n\n".join(p for p in (exchange.comment, note) if p)[:COMMENT_MAX]
