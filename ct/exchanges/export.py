"""The rows of the exchanges CSV export, streamed by the list's route or written to a
file by a background job when the list is large (EXPORT_JOB_THRESHOLD exchanges).

Both read the same keyset batches and write the same columns, so a file from the job
and a file from the browser are the same file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from ct.core.csvio import safe_cell
from ct.core.jobs import enqueue_after_commit, tenant_job
from ct.core.zone import to_local
from ct.exchanges.query import ExchangeFilters, apply_filters, sorted_page, visible_exchanges
from ct.exchanges.rows import ExchangeRow
from ct.exchanges.status import status_names as status_names_now
from ct.extensions import db
from ct.models import Exchange, Membership
from ct.models.base import utcnow
from ct.models.export_run import FAILED, KIND_EXCHANGES, QUEUED, ExportRun
from ct.records.export_runs import JOB_TIMEOUT, claim, report_progress, set_total, write_file

BOM = "\ufeff"


def header() -> list[str]:
    return [_("Date"), _("Third party"), _("Contacts"), _("Mode"), _("Object"), _("Status"),
            _("Made by"), _("Author"), _("Comment"), _("Document"), _("Project")]


def row(x: ExchangeRow, status_names: dict[str, str]) -> list[str]:
    return [
        to_local(x.occurred_at).strftime("%Y-%m-%d %H:%M"),
        x.tiers_name,
        ", ".join(c.full_name for c in x.contacts),
        x.mode,
        x.object,
        status_names.get(x.status, x.status),
        x.made_by,
        x.author,
        x.comment or "",  # never the confidential comment: that one stays on the card
        x.document,
        x.project,
    ]


def batches(query: Select, sort: str, delimiter: str, status_names: dict[str, str],
            batch: int) -> Iterator[tuple[str, int]]:
    """``(text, rows in it)``: the header (with the byte order mark) first, before any
    exchange is read, then one chunk per keyset batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([safe_cell(cell) for cell in header()])
    yield BOM + flush(), 0
    cursor = None
    while True:
        page = sorted_page(query, sort, cursor, per_page=batch, for_export=True)
        for x in page.items:
            writer.writerow([safe_cell(cell) for cell in row(x, status_names)])
        yield flush(), len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return


def is_large(query: Select) -> bool:
    """More than EXPORT_JOB_THRESHOLD exchanges: is there a row past the threshold?
    (cheaper than counting a million rows to compare the count with 5,000)"""
    threshold = current_app.config.get("EXPORT_JOB_THRESHOLD", 5000)
    probe = query.with_only_columns(Exchange.id).order_by(None).offset(threshold).limit(1)
    return db.session.scalar(probe) is not None


def start_exchanges_export(member: Membership, filters: ExchangeFilters, sort: str,
                           delimiter: str, locale: str) -> ExportRun:
    """Record the request (checked filters, sort, separator, language) for the job."""
    run = ExportRun(kind=KIND_EXCHANGES, status=QUEUED, created_by_id=member.id,
                    params={"filters": filters.as_params(), "sort": sort,
                            "delimiter": delimiter, "locale": locale})
    db.session.add(run)
    db.session.flush()
    enqueue_after_commit(build_exchanges_export, run.tenant_id, run.id,
                         job_id=f"export-{run.id}", timeout=JOB_TIMEOUT)
    return run


@tenant_job
def build_exchanges_export(tenant_id: int, run_id: int, batch: int = 1000) -> None:
    run = claim(run_id)
    if run is None:
        return
    params = run.params
    member = db.session.scalar(select(Membership).where(Membership.id == run.created_by_id))
    # The filters the list's form checked when the member asked; the same query and the
    # rights of its author as they are now. A run recorded before the filters were kept
    # this way (it kept the request's arguments) is failed: the member asks again.
    if member is None or not member.active or "filters" not in params:
        run.status, run.finished_at = FAILED, utcnow()
        return
    query = apply_filters(visible_exchanges(member),
                          ExchangeFilters.from_params(params["filters"]))
    set_total(run, db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())))
    with force_locale(params.get("locale") or "fr"):
        status_names = status_names_now()

        def write(path: Path) -> None:
            done = 0
            with open(path, "w", encoding="utf-8", newline="") as out:
                for text, count in batches(query, params.get("sort", ""),
                                           params.get("delimiter", ","), status_names, batch):
                    out.write(text)
                    done += count
                    report_progress(run, done)

        write_file(run, "csv", write)
