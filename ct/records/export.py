"""Exports built in the background, and the export of all of a company's data.

``start_tenant_export`` records an ExportRun and enqueues ``build_tenant_export``, which
writes a ZIP with one CSV file per tenant table, plus ``users.csv`` (the members' names
and emails) and the files of the exchanges under ``attachments/``. The tables are read
from the metadata (every table with a ``tenant_id`` column), so a table added later is
exported without anyone remembering to add it here. The audit trail is such a table.

Files live under EXPORT_DIR, one folder per tenant (ct/records/export_runs.py); the clock
removes them once expired, and enqueues again the exports that never started.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import JSON, LargeBinary, Select, Table, func, select, update

from ct.attachments.archive import count as attachment_count
from ct.attachments.archive import write_attachments
from ct.core.csvio import UTF8_BOM, safe_cell
from ct.core.jobs import enqueue, enqueue_after_commit, tenant_job
from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.exchanges.export import build_exchanges_export
from ct.extensions import db
from ct.models import Membership
from ct.models.base import utcnow
from ct.models.exchange_access import ConfidentialReader
from ct.models.export_run import DONE, EXPIRED, FAILED, KIND_TENANT, QUEUED, RUNNING, ExportRun
from ct.records.export_runs import (
    BATCH,
    JOB_TIMEOUT,
    RUNNING_AT_MOST,
    STALLED_AFTER,
    claim,
    export_dir,
    report_progress,
    set_total,
    write_file,
)

USER_COLUMNS = ("id", "email", "display_name", "language", "created_at")


# --- All of a company's data ------------------------------------------------------------


def tenant_tables() -> list[Table]:
    """Every table that holds rows of a tenant, parents before children."""
    return [t for t in db.metadata.sorted_tables if "tenant_id" in t.c]


def exported_columns(table: Table) -> list:
    """Every column but stored files and secrets: an import's uploaded file (binary), the
    hashes of invitation and calendar-feed secrets (``*_hash``), and the columns a model
    marks ``info={"export": False}`` (an email's subject and bodies, which hold links)."""
    return [c for c in table.c
            if not isinstance(c.type, LargeBinary) and not c.name.endswith("_hash")
            and c.info.get("export", True)]


# --- Confidential comments: the exporting member's reading rights -----------------------


def _exchange_redactor(columns: list, reader: ConfidentialReader) -> Callable[[tuple], tuple]:
    """Empties the confidential comment of the exchanges the exporting member may not
    read (the row itself stays: the rest of it is the company's data)."""
    names = [c.name for c in columns]
    author, group, comment = (names.index(n) for n in
                              ("author_id", "confidential_group_id", "confidential_comment"))

    def redact(row: tuple) -> tuple:
        if row[comment] is None or reader.may_read(row[author], row[group]):
            return row
        return (*row[:comment], None, *row[comment + 1:])

    return redact


def _trash_redactor(columns: list, reader: ConfidentialReader) -> Callable[[tuple], tuple]:
    """The same for the exchanges kept in the trash (rows of a trash item's payload)."""
    payload = [c.name for c in columns].index("payload")

    def readable(table: str, values: dict) -> dict:
        if (table != "exchanges" or values.get("confidential_comment") is None
                or reader.may_read(values.get("author_id"), values.get("confidential_group_id"))):
            return values
        return {**values, "confidential_comment": None}

    def redact(row: tuple) -> tuple:
        kept = row[payload]
        rows = [(table, readable(table, values)) for table, values in kept.get("rows", ())]
        return (*row[:payload], {**kept, "rows": rows}, *row[payload + 1:])

    return redact


_REDACTORS = {"exchanges": _exchange_redactor, "trash_items": _trash_redactor}


def start_tenant_export(member: Membership) -> ExportRun:
    run = ExportRun(kind=KIND_TENANT, status=QUEUED, created_by_id=member.id)
    db.session.add(run)
    db.session.flush()
    enqueue_after_commit(build_tenant_export, run.tenant_id, run.id,
                         job_id=f"export-{run.id}", timeout=JOB_TIMEOUT)
    return run


def _cell(value, column) -> str:
    if isinstance(column.type, JSON) and value is not None:
        return safe_cell(json.dumps(value, ensure_ascii=False, sort_keys=True))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return safe_cell(value)


def _snapshot() -> None:
    """One consistent view of every table for the whole export (PostgreSQL): an exchange
    written meanwhile is either in the file with its third party, or not at all."""
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def members_query(tenant_id: int):
    """The people behind the memberships: accounts are shared between companies, so
    they are not a tenant table; their names and emails are this company's data too
    (never the password hash or the session token)."""
    users, memberships = db.metadata.tables["users"], db.metadata.tables["memberships"]
    columns = [users.c[name] for name in USER_COLUMNS]
    members = select(memberships.c.user_id).where(memberships.c.tenant_id == tenant_id)
    return columns, select(*columns).where(users.c.id.in_(members)).order_by(users.c.id)


def _keep(row: tuple) -> tuple:
    return row


def _tenant_queries(tenant_id: int, reader: ConfidentialReader) -> list[tuple]:
    """(file name, columns, query, redactor) of every file of the archive."""
    files = []
    for table in tenant_tables():
        columns = exported_columns(table)
        query = (select(*columns).where(table.c.tenant_id == tenant_id)
                 .order_by(*table.primary_key.columns))
        redactor = _REDACTORS[table.name](columns, reader) if table.name in _REDACTORS \
            else _keep
        files.append((f"{table.name}.csv", columns, query, redactor))
    files.append(("users.csv", *members_query(tenant_id), _keep))
    return files


@tenant_job
def build_tenant_export(tenant_id: int, run_id: int) -> None:
    run = claim(run_id)
    if run is None:
        return
    exporter = db.session.scalar(select(Membership).where(Membership.id == run.created_by_id))
    files = _tenant_queries(tenant_id, ConfidentialReader.of(exporter))
    set_total(run, attachment_count() + sum(
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        for _name, _columns, query, _redactor in files))
    _snapshot()

    def write(path: Path) -> None:
        done = 0
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, columns, query, redactor in files:
                with archive.open(name, "w", force_zip64=True) as raw:
                    done = _write_table(raw, columns, query, redactor, run, done)
                    report_progress(run, done)
            report_progress(run, done + write_attachments(archive))

    write_file(run, "zip", write)


def _write_table(raw, columns: list, query: Select, redactor: Callable[[tuple], tuple],
                 run: ExportRun, done: int) -> int:
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    out.write(UTF8_BOM.decode("utf-8"))  # Excel shows accents right
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for rows in db.session.execute(query.execution_options(yield_per=BATCH)).partitions():
        writer.writerows([_cell(v, c) for v, c in zip(redactor(row), columns, strict=True)]
                         for row in rows)
        done += len(rows)
        if done % (BATCH * 10) < len(rows):
            report_progress(run, done)
    out.flush()
    out.detach()  # the archive member is closed by its own ``with``
    return done


# --- Housekeeping ------------------------------------------------------------------------


def remove_expired_exports() -> int:
    """The clock's job: delete the files whose time is up (they hold customer data)."""
    expired = db.session.execute(
        select(ExportRun.id, ExportRun.tenant_id, ExportRun.file_name)
        .where(ExportRun.status == DONE, ExportRun.expires_at <= utcnow())
        .execution_options(**{ALL_TENANTS: True})).all()
    db.session.rollback()
    for run_id, tenant_id, name in expired:
        if name:
            (export_dir() / name).unlink(missing_ok=True)
        with bound_tenant(tenant_id):  # each tenant's row in its own transaction
            db.session.execute(update(ExportRun).where(ExportRun.id == run_id)
                               .values(status=EXPIRED, file_name=None))
            db.session.commit()
    return len(expired)


def retry_stalled_exports() -> int:
    """The clock's job: an export still queued after STALLED_AFTER was never enqueued
    (Redis was down) or its job was lost: enqueue it again (the job id makes a duplicate
    harmless). One running for longer than RUNNING_AT_MOST lost its worker: failed."""
    now = utcnow()
    runs = db.session.execute(
        select(ExportRun.id, ExportRun.tenant_id, ExportRun.kind, ExportRun.status)
        .where(((ExportRun.status == QUEUED) & (ExportRun.created_at <= now - STALLED_AFTER))
               | ((ExportRun.status == RUNNING)
                  & (ExportRun.created_at <= now - RUNNING_AT_MOST)))
        .execution_options(**{ALL_TENANTS: True})).all()
    db.session.rollback()
    for run_id, tenant_id, kind, status in runs:
        if status == QUEUED:
            enqueue(_job_of(kind), tenant_id, run_id, job_id=f"export-{run_id}",
                    timeout=JOB_TIMEOUT)
            continue
        with bound_tenant(tenant_id):
            db.session.execute(update(ExportRun).where(ExportRun.id == run_id,
                                                       ExportRun.status == RUNNING)
                               .values(status=FAILED, finished_at=now))
            db.session.commit()
    return len(runs)


def _job_of(kind: str) -> Callable:
    if kind == KIND_TENANT:
        return build_tenant_export
    return build_exchanges_export
