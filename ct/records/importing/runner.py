"""An import from upload to rows in the database, in two background jobs.

1. ``start`` (in the request): the file is decoded and its header mapped at once, so an
   unreadable file or a missing column is an error next to the upload field; then the
   file is stored in an ImportRun and ``check_import`` checks every row in a job.
2. The user reads the preview and the report and starts ``run_import``: it checks the
   rows again (the database may have changed since) and inserts them in batches, all in
   ONE transaction, so an import is complete or absent, never partial.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, text, update

from ct.core.csvio import CsvError, CsvTable, read_csv
from ct.core.jobs import enqueue_after_commit, tenant_job
from ct.extensions import db
from ct.models import Contact, Membership, Tiers
from ct.models.base import utcnow
from ct.models.contact import derive_keys as derive_contact_keys
from ct.models.import_run import (
    CHECKING,
    DONE,
    FAILED,
    IMPORTING,
    KIND_TIERS,
    QUEUED,
    READY,
    ImportRun,
)
from ct.models.tiers import derive_keys as derive_tiers_keys
from ct.records.importing.columns import ColumnMap, map_columns
from ct.records.importing.rows import Checked, check_rows

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
ABANDONED_AFTER = timedelta(days=7)
BATCH = 1000  # rows per executemany, and per progress report

TIERS_COLUMNS = ("name", "customer_code", "email", "phone", "website", "street", "postcode",
                 "town", "country", "notes")
CONTACT_COLUMNS = ("first_name", "last_name", "job_title", "email", "phone", "mobile", "notes",
                   "tiers_id")


def max_bytes() -> int:
    return current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_size_text() -> str:
    """The upload limit as people read it: "10 MB" (French: "10 Mo")."""
    size = max_bytes()
    if size >= 1024 * 1024:
        return _("%(num)s MB", num=format_decimal(round(size / (1024 * 1024), 1)))
    return _("%(num)s KB", num=format_decimal(max(1, size // 1024)))


def parse(kind: str, raw: bytes) -> CsvTable:
    """The file read and its header mapped; CsvError or HeaderError with a clear message."""
    if len(raw) > max_bytes():
        raise CsvError(_l("The file is too large: at most %(size)s.", size=max_size_text()))
    table = read_csv(raw)
    map_columns(kind, table.header)
    if not table.rows:
        raise CsvError(_l("The file has column names but no rows to import."))
    limit = current_app.config.get("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
    if len(table.rows) > limit:
        raise CsvError(_l("The file has %(count)d rows; at most %(max)d can be imported at "
                          "once. Split it into several files.", count=len(table.rows), max=limit))
    return table


def start(kind: str, filename: str, raw: bytes, member: Membership) -> ImportRun:
    """Store a readable file and check its rows in a job (after the caller commits)."""
    table = parse(kind, raw)
    _forget_abandoned()
    run = ImportRun(
        kind=kind, filename=filename[:255] or "import.csv", content=raw,
        encoding=table.encoding, delimiter=table.delimiter, status=CHECKING,
        total_rows=len(table.rows), created_by_id=member.id,
    )
    db.session.add(run)
    db.session.flush()
    enqueue_after_commit(check_import, run.tenant_id, run.id, job_id=f"import-check-{run.id}")
    return run


def _forget_abandoned() -> None:
    """Files checked but never imported are not kept for ever (they hold customer data)."""
    db.session.execute(
        delete(ImportRun)
        .where(ImportRun.status.in_((CHECKING, READY, FAILED)),
               ImportRun.created_at < utcnow() - ABANDONED_AFTER)
        .execution_options(synchronize_session=False)
    )


def queue_import(run: ImportRun, skip_errors: bool) -> bool:
    """READY -> QUEUED once, even if the button is pressed twice."""
    claimed = db.session.execute(
        update(ImportRun)
        .where(ImportRun.id == run.id, ImportRun.status == READY)
        .values(status=QUEUED, skip_errors=skip_errors, failure=None, processed=0)
    ).rowcount
    if claimed:
        enqueue_after_commit(run_import, run.tenant_id, run.id, job_id=f"import-{run.id}")
    return bool(claimed)


def _load(run_id: int) -> ImportRun | None:
    return db.session.scalar(select(ImportRun).where(ImportRun.id == run_id))


def _check(run: ImportRun, progress=None) -> tuple[ColumnMap, Checked]:
    table = read_csv(run.content)
    columns = map_columns(run.kind, table.header)
    return columns, check_rows(columns, table.rows, progress)


def _save_report(run: ImportRun, columns: ColumnMap, checked: Checked) -> None:
    run.report = {
        "columns": [[f.name, columns.headers[f.name]] for f in columns.fields],
        "ignored": columns.ignored,
        "problems": [list(p) for p in checked.problems],
        "preview": checked.preview,
    }
    run.total_rows = checked.total
    run.error_rows = len(checked.error_rows)
    run.warning_rows = len(checked.warning_rows - checked.error_rows)


@tenant_job
def check_import(tenant_id: int, run_id: int) -> None:
    run = _load(run_id)
    if run is None or run.status != CHECKING:
        return  # a redelivered job: already checked

    def progress(done: int) -> None:
        db.session.execute(update(ImportRun).where(ImportRun.id == run_id).values(processed=done))
        db.session.commit()

    try:
        columns, checked = _check(run, progress)
    except Exception:
        log.exception("checking import %s failed", run_id)
        db.session.rollback()
        run = _load(run_id)
        run.status, run.failure = FAILED, "check_failed"
        return
    _save_report(run, columns, checked)
    run.status, run.processed = READY, checked.total


@tenant_job
def run_import(tenant_id: int, run_id: int) -> None:
    claimed = db.session.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id, ImportRun.status == QUEUED)
        .values(status=IMPORTING, processed=0)
    ).rowcount
    db.session.commit()
    if not claimed:
        return  # a redelivered job: already imported or importing
    run = _load(run_id)
    try:
        columns, checked = _check(run)
        if checked.error_rows and not run.skip_errors:
            # The database changed since the check (a code taken, a third party deleted).
            _save_report(run, columns, checked)
            run.status, run.failure = READY, "changed"
            return
        imported = _insert(run, checked)
    except Exception:
        log.exception("import %s failed", run_id)
        db.session.rollback()
        run = _load(run_id)
        run.status, run.failure, run.finished_at = FAILED, "import_failed", utcnow()
        return
    # In the same transaction as the rows: "done" is true exactly when they are there.
    run.status, run.imported, run.processed = DONE, imported, checked.total
    run.finished_at, run.content = utcnow(), None


def _insert(run: ImportRun, checked: Checked) -> int:
    """Insert the rows without errors by batches of core INSERTs, in the job's transaction.

    Bulk inserts skip the models' before_insert events, so the derived keys are computed
    here with the models' own functions, and the tenant is set explicitly.
    """
    now = utcnow()
    common = {"tenant_id": run.tenant_id, "created_by_id": run.created_by_id,
              "created_at": now, "updated_at": now}
    if run.kind == KIND_TIERS:
        model, build = Tiers, _tiers_row
    else:
        model, build = Contact, _contact_row
    records = checked.records
    for start in range(0, len(records), BATCH):
        batch = [build(values) | common for _, values in records[start:start + BATCH]]
        # Core executemany: SQLAlchemy batches it into multi-row INSERTs on the wire.
        db.session.execute(insert(model.__table__), batch)
        _progress_outside_transaction(run, min(start + BATCH, len(records)))
    return len(records)


def _tiers_row(values: dict) -> dict:
    row = {name: values.get(name) for name in TIERS_COLUMNS}
    kinds = values.get("kinds") or ()
    row.update(is_prospect="prospect" in kinds, is_customer="customer" in kinds,
               is_supplier="supplier" in kinds, active=True)
    keys = SimpleNamespace(**row)
    derive_tiers_keys(None, None, keys)
    row.update(sort_key=keys.sort_key, name_key=keys.name_key, search_text=keys.search_text)
    return row


def _contact_row(values: dict) -> dict:
    row = {name: values.get(name) for name in CONTACT_COLUMNS}
    keys = SimpleNamespace(**row)
    derive_contact_keys(None, None, keys)
    row.update(sort_key=keys.sort_key, search_text=keys.search_text)
    return row


def _progress_outside_transaction(run: ImportRun, processed: int) -> None:
    """Show the progress while the import's own transaction is still open.

    A separate short transaction on another connection. Should the import's transaction
    hold the run's row, the row is skipped (SKIP LOCKED), never waited for: waiting
    would be waiting for ourselves. PostgreSQL only: SQLite allows one writer at a time,
    and the embedded SQLite setup runs jobs inline, with nobody polling.
    """
    if db.engine.dialect.name != "postgresql":
        return
    table = ImportRun.__table__
    unlocked = (select(table.c.id)
                .where(table.c.id == run.id, table.c.tenant_id == run.tenant_id)
                .with_for_update(skip_locked=True))
    with db.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :tenant, true)"),
                     {"tenant": str(run.tenant_id)})
        conn.execute(update(table).where(table.c.id.in_(unlocked)).values(processed=processed))
