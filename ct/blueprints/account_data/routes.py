"""Export all of the company's data, follow an export, close the company (admins).

An export's page is also where a member follows the large exchanges export they asked
for; its download is theirs alone (it holds what their rights let them see).
"""

from flask import abort, flash, g, send_file, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from ct.blueprints.account_data import bp
from ct.blueprints.account_data.forms import CloseForm
from ct.core.permissions import EXPORT, can, require_admin
from ct.extensions import db
from ct.models.export_run import KIND_TENANT, ExportRun
from ct.records.closing import cancel_closing, grace_period, request_closing
from ct.records.export import start_tenant_export
from ct.records.export_runs import file_path, max_age
from ct.web.htmx import redirect_to, render
from ct.web.lookups import get_or_404


def _page(form: CloseForm | None = None, status: int = 200):
    return render("account_data/index.html", status=status,
                  runs=ExportRun.recent(KIND_TENANT), form=form or CloseForm(g.tenant.name),
                  grace_days=grace_period().days, max_age_days=max_age().days)


@bp.get("/")
@require_admin
def index():
    return _page()


@bp.post("/export")
@require_admin
def start_export():
    run = start_tenant_export(g.membership)
    db.session.commit()
    return redirect_to(url_for("account_data.export_run", run_id=run.id))


def _run_or_404(run_id: int) -> ExportRun:
    """The company's export: for its admins; a list export: for the member who asked."""
    run = get_or_404(ExportRun, run_id)  # another tenant's export is not found
    if run.kind == KIND_TENANT:
        if not g.membership.is_admin:
            abort(403)
    elif run.created_by_id != g.membership.id or not can(EXPORT):
        abort(404)
    return run


@bp.get("/exports/<int:run_id>")
def export_run(run_id: int):
    run = _run_or_404(run_id)
    return render("account_data/export_run.html", block="progress", run=run)


@bp.get("/exports/<int:run_id>/download")
def download(run_id: int):
    run = _run_or_404(run_id)
    path = file_path(run) if run.downloadable else None
    if path is None or not path.is_file():
        abort(404)  # not ready, expired, or removed
    suffix = "zip" if run.kind == KIND_TENANT else "csv"
    name = "data" if run.kind == KIND_TENANT else "exchanges"
    day = (run.finished_at or run.created_at).date().isoformat()
    return send_file(path, as_attachment=True, max_age=0,
                     download_name=f"{name}-{g.tenant.slug}-{day}.{suffix}",
                     mimetype="application/zip" if suffix == "zip" else "text/csv")


@bp.post("/close")
@require_admin
def close():
    form = CloseForm(g.tenant.name)
    if not form.validate_on_submit():
        return _page(form, 422)
    request_closing(g.tenant, g.membership)
    db.session.commit()
    flash(_("The company will be closed and its data deleted on %(day)s. You can cancel "
            "until then.", day=format_date(g.tenant.closing_at, "long")), "success")
    return redirect_to(url_for("account_data.index"))


@bp.post("/close/cancel")
@require_admin
def cancel_close():
    cancel_closing(g.tenant, g.membership)
    db.session.commit()
    flash(_("The closing is cancelled: nothing will be deleted."), "success")
    return redirect_to(url_for("account_data.index"))

