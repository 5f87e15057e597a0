"""Exports built in the background, whatever they hold (a company's data, a list of
exchanges): where their files live, claiming a run once, its progress, and writing its
file so that a download never sees half of it (a temporary name, then a rename).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, text, update

from ct.extensions import db
from ct.models.base import utcnow
from ct.models.export_run import DONE, FAILED, QUEUED, RUNNING, ExportRun

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE_DAYS = 7
BATCH = 1000  # rows read per round trip, and per progress report
# A million exchanges take minutes, more than RQ's default of three.
JOB_TIMEOUT = 3 * 3600
STALLED_AFTER = timedelta(minutes=10)
RUNNING_AT_MOST = timedelta(hours=6)  # two job timeouts: the worker is surely gone


# --- Where the files are --------------------------------------------------------------


def export_dir() -> Path:
    return Path(current_app.config["EXPORT_DIR"])


def tenant_folder(tenant_id: int) -> Path:
    return export_dir() / str(tenant_id)


def file_path(run: ExportRun) -> Path | None:
    if not run.file_name:
        return None
    return export_dir() / run.file_name


def max_age() -> timedelta:
    return timedelta(days=current_app.config.get("EXPORT_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))


def new_file_name(run: ExportRun, suffix: str) -> str:
    """``<tenant id>/<run id>-<random>.<suffix>``: relative to EXPORT_DIR; the random part
    keeps a file name from being guessed by anyone who can list the folder."""
    return f"{run.tenant_id}/{run.id}-{secrets.token_hex(8)}.{suffix}"


# --- Running an export ----------------------------------------------------------------


def claim(run_id: int) -> ExportRun | None:
    """QUEUED -> RUNNING once: a redelivered job finds the run taken and does nothing."""
    claimed = db.session.execute(
        update(ExportRun).where(ExportRun.id == run_id, ExportRun.status == QUEUED)
        .values(status=RUNNING, processed=0)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    return db.session.scalar(select(ExportRun).where(ExportRun.id == run_id))


def set_total(run: ExportRun, total: int) -> None:
    run.total = total
    db.session.commit()


def report_progress(run: ExportRun, processed: int) -> None:
    """Show the progress while the export's own transaction is still open (it reads one
    consistent snapshot). A separate short transaction on another connection; PostgreSQL
    only: SQLite allows one writer at a time, and the embedded setup runs jobs inline,
    with nobody polling."""
    if db.engine.dialect.name != "postgresql":
        return
    table = ExportRun.__table__
    with db.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :tenant, true)"),
                     {"tenant": str(run.tenant_id)})
        conn.execute(update(table).where(table.c.id == run.id,
                                         table.c.tenant_id == run.tenant_id)
                     .values(processed=processed))


def write_file(run: ExportRun, suffix: str, writer: Callable[[Path], None]) -> None:
    """Write the result through ``writer`` to a temporary file, then rename it into place
    and mark the run done; on error, no file is left behind and the run is FAILED."""
    name = new_file_name(run, suffix)
    final = export_dir() / name
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(final.name + ".part")
    try:
        writer(partial)
        os.replace(partial, final)
    except Exception:
        log.exception("export %s failed", run.id)
        partial.unlink(missing_ok=True)
        db.session.rollback()
        run = db.session.scalar(select(ExportRun).where(ExportRun.id == run.id))
        run.status, run.finished_at = FAILED, utcnow()
        return
    db.session.rollback()  # end the reading snapshot before writing the run
    run = db.session.scalar(select(ExportRun).where(ExportRun.id == run.id))
    now = utcnow()
    run.status, run.file_name, run.file_size = DONE, name, final.stat().st_size
    run.processed = run.total
    run.finished_at, run.expires_at = now, now + max_age()


def remove_tenant_files(tenant_id: int) -> None:
    shutil.rmtree(tenant_folder(tenant_id), ignore_errors=True)
