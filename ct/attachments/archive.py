"""The attachments in the company's export: each file under ``attachments/`` in the ZIP,
named ``<attachment id>-<its name>`` (exchange_attachments.csv gives its exchange)."""

from __future__ import annotations

import logging
import shutil
import zipfile

from sqlalchemy import func, select

from ct.attachments.files import open_file
from ct.attachments.storage import CHUNK, MissingFile
from ct.extensions import db
from ct.models import ExchangeAttachment

log = logging.getLogger(__name__)
FOLDER = "attachments"


def archive_name(attachment: ExchangeAttachment) -> str:
    return f"{FOLDER}/{attachment.id}-{attachment.filename}"


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(ExchangeAttachment))


def write_attachments(archive: zipfile.ZipFile) -> int:
    """Copy the bound company's files into the archive, a chunk at a time."""
    written = 0
    for attachment in db.session.scalars(select(ExchangeAttachment)
                                         .order_by(ExchangeAttachment.id)):
        try:
            source = open_file(attachment)
        except MissingFile:
            log.error("attachment %s has no bytes in the storage: not exported", attachment.id)
            continue
        with source, archive.open(archive_name(attachment), "w", force_zip64=True) as out:
            shutil.copyfileobj(source, out, CHUNK)
        written += 1
    return written
