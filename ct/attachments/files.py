"""Checking, keeping and letting go of the files of exchanges.

Every file is checked before anything is written (size, count, what its content is:
ct/attachments/inspect.py), so a refused file leaves no exchange and no bytes behind.
The bytes follow the database transaction: written before the commit and deleted again
if it rolls back; dropped ones (removed from an exchange, purged from the trash) are
deleted only once the commit has succeeded — a failed commit never loses a file.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ct.attachments.inspect import HEAD, MISMATCH, PROGRAM, clean_name, judge
from ct.attachments.storage import storage
from ct.core.tenancy import current_tenant_id
from ct.extensions import db
from ct.models import Exchange, ExchangeAttachment, Membership
from ct.models.attachment import SOURCE_UPLOAD

log = logging.getLogger(__name__)
_WRITTEN, _DROPPED = "ct_attachments_written", "ct_attachments_dropped"


@dataclass
class CheckedFile:
    name: str
    stream: BinaryIO
    size: int
    content_type: str


def size_text(size: int) -> str:
    """A size as people read it: 820 KB, 4.2 MB."""
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(max(1, round(size / 1024))))
    return _("%(n)s MB", n=format_decimal(round(size / (1024 * 1024), 1)))


def check(name: str | None, stream: BinaryIO) -> CheckedFile | str:
    """The file, ready to keep, or the reason it is refused (for the member)."""
    name = clean_name(name)
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    largest = current_app.config["ATTACHMENT_MAX_BYTES"]
    if size == 0:
        return _("“%(name)s” is empty.", name=name)
    if size > largest:
        return _("“%(name)s” is %(size)s: a file may be %(max)s at most.",
                 name=name, size=size_text(size), max=size_text(largest))
    verdict = judge(name, stream.read(HEAD))
    stream.seek(0)
    if verdict.refusal == PROGRAM:
        return _("“%(name)s”: programs and scripts cannot be attached.", name=name)
    if verdict.refusal == MISMATCH:
        return _("“%(name)s” is not a %(claimed)s file: its content is something else "
                 "(%(type)s). It was not attached.", name=name, claimed=verdict.claimed,
                 type=verdict.content_type)
    return CheckedFile(name, stream, size, verdict.content_type)


def too_many(count: int, kept: int) -> str | None:
    """Why ``count`` more files are too many for one save, or for an exchange that keeps
    ``kept`` files."""
    per_save = current_app.config["ATTACHMENTS_PER_SAVE"]
    most = current_app.config["ATTACHMENTS_PER_EXCHANGE"]
    if count > per_save:
        return _("At most %(n)d files at a time.", n=per_save)
    if kept + count > most:
        return _("An exchange keeps %(max)d files at most: %(left)d more can be added.",
                 max=most, left=max(0, most - kept))
    return None


def request_limit() -> int:
    """The largest body the exchange form may send: its files and room for the fields."""
    config = current_app.config
    return config["ATTACHMENT_MAX_BYTES"] * config["ATTACHMENTS_PER_SAVE"] + 1024 * 1024


def attach(exchange: Exchange, files: list[CheckedFile], member: Membership | None,
           source: str = SOURCE_UPLOAD) -> list[ExchangeAttachment]:
    """Keep checked files with the exchange (its rows are added to the session; the
    caller commits)."""
    session = db.session()
    added = []
    for file in files:
        key = f"{current_tenant_id()}/{uuid.uuid4().hex}"
        session.info.setdefault(_WRITTEN, []).append(key)
        storage().put(key, file.stream)
        row = ExchangeAttachment(filename=file.name, content_type=file.content_type,
                                 size=file.size, storage_key=key, source=source,
                                 created_by_id=member.id if member is not None else None)
        exchange.attachments.append(row)
        added.append(row)
    return added


def detach(exchange: Exchange, attachment_ids: set[int]) -> list[str]:
    """Remove these files from the exchange; their bytes go once the commit is done."""
    gone = [a for a in exchange.attachments if a.id in attachment_ids]
    for attachment in gone:
        exchange.attachments.remove(attachment)
        drop_after_commit([attachment.storage_key])
    return [a.filename for a in gone]


def drop_after_commit(keys: list[str]) -> None:
    db.session().info.setdefault(_DROPPED, []).extend(keys)


def open_file(attachment: ExchangeAttachment) -> BinaryIO:
    """Its bytes, to read (the caller closes); MissingFile if the storage lost them."""
    return storage().open(attachment.storage_key)


# ---- the bytes follow the transaction (listeners registered in ct/events.py) ----------

def _delete(keys: list[str]) -> None:
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # noqa: BLE001 - a leftover file is not worth failing a save
            log.warning("attachment %s could not be deleted from the storage", key,
                        exc_info=True)


def after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _delete(session.info.pop(_DROPPED, []))


def after_rollback(session: Session) -> None:
    session.info.pop(_DROPPED, None)
    _delete(session.info.pop(_WRITTEN, []))
