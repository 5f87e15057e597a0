"""CSV export of the filtered exchanges list, streamed.

The header leaves at once and rows follow in keyset batches, so a hundred thousand
exchanges start downloading immediately and never sit in memory together. Spreadsheet
friendly: UTF-8 with a byte order mark, comma or semicolon, formula-safe cells.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, g, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from ct.blueprints.exchange_list import bp
from ct.blueprints.exchange_list.forms import ListFilterForm
from ct.blueprints.exchange_list.routes import chosen_sort, index
from ct.csvio import safe_cell
from ct.exchange_query import apply_filters, sorted_page, visible_exchanges
from ct.permissions import EXPORT, require_right
from ct.tenancy import bound_tenant

BATCH = 1000
BOM = "\ufeff"


def _header() -> list[str]:
    return [_("Date"), _("Third party"), _("Contacts"), _("Mode"), _("Object"), _("Status"),
            _("Made by"), _("Author"), _("Comment"), _("Document"), _("Project")]


def _row(x, status_names: dict[str, str]) -> list[str]:
    project = x.project
    return [
        to_user_timezone(x.occurred_at).strftime("%Y-%m-%d %H:%M"),
        x.tiers.name,
        ", ".join(c.full_name for c in x.contacts),
        x.mode.display if x.mode else "",
        x.object.display if x.object else "",
        status_names.get(x.status, x.status),
        x.made_by.user.display_name,
        x.author.user.display_name,
        x.comment or "",  # never the confidential comment: that one stays on the card
        x.document.reference if x.document else "",
        f"{project.reference} — {project.title}" if project else "",
    ]


@bp.get("/export.csv")
@require_right(EXPORT)
def export():
    form = ListFilterForm(request.args)
    if not form.validate():
        return index()  # the list with the errors next to the filters (422)
    query = apply_filters(visible_exchanges(g.membership), form.filters())
    sort = chosen_sort()
    delimiter = ";" if request.args.get("sep") == "semicolon" else ","
    tenant_id = g.tenant.id
    status_names = form.status_names

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")

        def flush() -> str:
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return text

        writer.writerow([safe_cell(cell) for cell in _header()])
        yield BOM + flush()
        # The request's own tenant binding ended when the view returned.
        with bound_tenant(tenant_id):
            cursor = None
            while True:
                page = sorted_page(query, sort, cursor, per_page=BATCH, for_export=True)
                for x in page.items:
                    writer.writerow([safe_cell(cell) for cell in _row(x, status_names)])
                yield flush()
                cursor = page.next_cursor
                if cursor is None:
                    break

    filename = f"exchanges-{g.tenant.slug}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
