"""CSV export of the filtered exchanges list: streamed, or a background job when large.

Up to EXPORT_JOB_THRESHOLD exchanges, the header leaves at once and rows follow in
keyset batches, so the download starts immediately and never sits in memory. Past it,
a job writes the file and the member follows its progress on the export's page, with
a link to the file when it is ready (ct/exchanges/export.py writes both the same way).
Spreadsheet friendly: UTF-8 with a byte order mark, comma or semicolon, formula-safe.
"""

from __future__ import annotations

from datetime import date

from flask import Response, g, request, stream_with_context, url_for
from flask_babel import get_locale

from ct.blueprints.exchange_list import bp
from ct.blueprints.exchange_list.forms import ListFilterForm
from ct.blueprints.exchange_list.routes import chosen_sort, index
from ct.core.permissions import EXPORT, require_right
from ct.core.tenancy import bound_tenant
from ct.exchanges.export import batches, is_large, start_exchanges_export
from ct.exchanges.query import apply_filters, visible_exchanges
from ct.extensions import db
from ct.web.htmx import redirect_to

BATCH = 1000


@bp.get("/export.csv")
@require_right(EXPORT)
def export():
    form = ListFilterForm(request.args)
    if not form.validate():
        return index()  # the list with the errors next to the filters (422)
    query = apply_filters(visible_exchanges(g.membership), form.filters())
    sort = chosen_sort()
    delimiter = ";" if request.args.get("sep") == "semicolon" else ","
    if is_large(query):
        run = start_exchanges_export(g.membership, form.filters(), sort, delimiter,
                                     str(get_locale()))
        db.session.commit()
        return redirect_to(url_for("account_data.export_run", run_id=run.id))
    tenant_id = g.tenant.id
    status_names = form.status_names

    def lines():
        # The request's own tenant binding ends when the view returns.
        with bound_tenant(tenant_id):
            for text, _count in batches(query, sort, delimiter, status_names, BATCH):
                yield text

    filename = f"exchanges-{g.tenant.slug}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
