"""An exchange's files: downloaded by the members who may see the exchange, always as a
download (``attachment``) of the type read from the content, never shown in the page's
origin; and the exchange form's own limit on the size of what it sends."""

from __future__ import annotations

import logging

from flask import abort, request, send_file
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ct.attachments.files import open_file, request_limit, size_text
from ct.attachments.storage import MissingFile
from ct.blueprints.exchanges import bp
from ct.blueprints.exchanges.views import visible_exchange_or_404
from ct.web.htmx import is_htmx_request, render

log = logging.getLogger(__name__)
FORM_ENDPOINTS = {"exchanges.new", "exchanges.edit"}


bp.add_app_template_filter(size_text, "filesize")


@bp.url_value_preprocessor
def _limit_form_size(endpoint, values):
    # Before the CSRF check reads the form: the exchange form may carry its files, every
    # other request of the blueprint keeps the application's smaller limit.
    if endpoint in FORM_ENDPOINTS:
        request.max_content_length = request_limit()


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    message = _("The files are too large together: send at most %(size)s at a time.",
                size=size_text(request_limit()))
    response = render("errors/error.html", block="message", status=413, code=413,
                      message=message)
    if is_htmx_request():  # said in the page's messages; the form stays as it was
        response.headers.update({"HX-Retarget": "#flashes", "HX-Reswap": "innerHTML"})
    return response


@bp.get("/<int:exchange_id>/attachments/<int:attachment_id>")
def download(exchange_id: int, attachment_id: int):
    exchange = visible_exchange_or_404(exchange_id)
    attachment = next((a for a in exchange.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    try:
        stream = open_file(attachment)
    except MissingFile:
        log.error("attachment %s has no bytes in the storage", attachment.id)
        abort(404)
    response = send_file(stream, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.filename, max_age=0, conditional=False)
    response.content_length = attachment.size
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Opened anyway (a browser that ignores the download): no script, no same origin.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
