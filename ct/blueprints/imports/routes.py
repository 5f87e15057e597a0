"""CSV import: upload, check report and preview, then the import itself (both in jobs)."""

from flask import abort, g, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from ct.blueprints.imports import bp
from ct.blueprints.imports.forms import UploadForm
from ct.core.csvio import DELIMITER_NAMES, ENCODING_NAMES, CsvError, write_csv
from ct.core.permissions import MANAGE_RECORDS, require_right
from ct.extensions import db
from ct.models.import_run import KIND_TIERS, READY, ImportRun
from ct.records.importing import runner
from ct.records.importing.checks import ERROR, problem_from_json
from ct.records.importing.columns import FIELDS, HeaderError
from ct.web.htmx import redirect_to, render

# The multipart envelope and the form's other fields, around the file itself.
FORM_OVERHEAD = 64 * 1024
PROBLEMS_SHOWN = 200
KIND_LABELS = {"prospect": _l("Prospect"), "customer": _l("Customer"),
               "supplier": _l("Supplier")}


@bp.url_value_preprocessor
def _limit_upload_size(endpoint, values):
    # URL value preprocessors run before every before_request function, the CSRF check
    # included (it reads the form): the limit holds before any of the body is read.
    request.max_content_length = runner.max_bytes() + FORM_OVERHEAD


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    page = render_template("imports/too_large.html", size=runner.max_size_text(),
                           back=url_for("imports.index", slug=g.get("tenant_slug")))
    return page, 413


def _get_run_or_404(run_id: int) -> ImportRun:
    # Scoped to the bound tenant: another tenant's import is not found.
    run = db.session.scalar(select(ImportRun).where(ImportRun.id == run_id))
    if run is None:
        abort(404)
    return run


def _index(form: UploadForm, status: int = 200):
    return render("imports/index.html", status=status, form=form, runs=ImportRun.recent(),
                  fields=FIELDS, max_size=runner.max_size_text())


@bp.get("/")
@require_right(MANAGE_RECORDS)
def index():
    return _index(UploadForm())


@bp.post("/")
@require_right(MANAGE_RECORDS)
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        raw = form.file.data.read(runner.max_bytes() + 1)
        try:
            run = runner.start(form.kind.data, form.file.data.filename or "", raw, g.membership)
        except (CsvError, HeaderError) as error:
            form.file.errors.append(error.message)
        else:
            db.session.commit()
            return redirect_to(url_for("imports.show", run_id=run.id))
    return _index(form, 422)


@bp.get("/<int:run_id>")
@require_right(MANAGE_RECORDS)
def show(run_id: int):
    run = _get_run_or_404(run_id)
    return _run_page(run)


def _run_page(run: ImportRun, status: int = 200, notice: str | None = None):
    context = {"run": run, "notice": notice, "kind_labels": KIND_LABELS,
               "encoding": ENCODING_NAMES.get(run.encoding, run.encoding),
               "delimiter": DELIMITER_NAMES.get(run.delimiter, run.delimiter),
               "list_url": url_for("tiers.index" if run.kind == KIND_TIERS else "contacts.index")}
    if run.status == READY and run.report:
        problems = [problem_from_json(p) for p in run.report["problems"]]
        # Errors first: a long list of warnings must not hide what blocks the import.
        problems.sort(key=lambda p: (p.severity != ERROR, p.row))
        context.update(
            problems=problems[:PROBLEMS_SHOWN], problem_count=len(problems),
            columns=_preview_columns(run), preview=run.report["preview"],
            ignored=run.report["ignored"], error_severity=ERROR,
        )
    return render("imports/run.html", block="run", status=status, **context)


def _preview_columns(run: ImportRun) -> list[tuple[str, object, str]]:
    """(value key, field label, header in the file) for the preview table."""
    labels = {f.name: f.label for f in FIELDS[run.kind]}
    columns: list[tuple[str, object, str]] = []
    for name, header in run.report["columns"]:
        if name in ("tiers", "tiers_code"):
            # A contact's third party, found by name or code, is shown as one column.
            if not any(key == "tiers_label" for key, _label, _header in columns):
                columns.append(("tiers_label", _l("Third party"), header))
            continue
        columns.append((name, labels[name], header))
    return columns


@bp.post("/<int:run_id>/start")
@require_right(MANAGE_RECORDS)
def start(run_id: int):
    run = _get_run_or_404(run_id)
    skip_errors = request.form.get("mode") == "valid"
    if run.status != READY:
        return redirect_to(url_for("imports.show", run_id=run.id))  # already started
    if run.error_rows and not skip_errors:
        return _run_page(run, 422, _("Some rows have errors: correct the file, or import only "
                                     "the valid rows."))
    if not run.valid_rows:
        return _run_page(run, 422, _("No row can be imported."))
    runner.queue_import(run, skip_errors)
    db.session.commit()
    return redirect_to(url_for("imports.show", run_id=run.id))


@bp.get("/<int:run_id>/report.csv")
@require_right(MANAGE_RECORDS)
def report(run_id: int):
    run = _get_run_or_404(run_id)
    if not run.report:
        abort(404)
    problems = [problem_from_json(p) for p in run.report["problems"]]
    rows = ([p.row, p.column, _("Error") if p.severity == ERROR else _("Warning"), p.message]
            for p in problems)
    header = [_("Row"), _("Column"), _("Severity"), _("Problem")]
    # French spreadsheets expect semicolons.
    body = write_csv(header, rows, semicolon=str(get_locale()) == "fr")
    response = make_response(body)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="import-{run.id}-report.csv"'
    return response
