"""Error pages: a clear message in the user's language, never a stack trace."""

import logging

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException

from ct.extensions import db
from ct.web.htmx import is_htmx_request, render
from ct.web.problems import from_http_exception, is_api_request, problem

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("You do not have the right to do this. Ask an administrator.")),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This action is not possible here.")),
    409: (_l("Changed meanwhile"),
          _l("Someone else changed or deleted this record at the same moment; nothing was "
             "saved. Reload the page to see it as it is now.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (_l("Too many attempts"),
          _l("Too many attempts in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong"),
          _l("An unexpected error happened; nothing was saved. Try again in a moment.")),
}


def _page(code: int, title=None, message=None):
    """The error page; for htmx, only the message, shown in the page's status region
    (instead of a whole page swapped inside the form that failed)."""
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    response = render("errors/error.html", block="message", status=code, code=code,
                      title=title or default_title, message=message or default_message)
    if is_htmx_request():
        response.headers["HX-Retarget"] = "#flashes"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, _l("The form has expired"), _l(
            "For your security the form expired. Go back, reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if is_api_request():
            return from_http_exception(error)
        return _page(error.code)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(ObjectDeletedError)
    def changed_meanwhile(error: Exception):
        """Two people on the same record: the second write finds it updated or deleted
        (the row count of its UPDATE or DELETE is not what the ORM expected)."""
        db.session.rollback()
        log.info("concurrent change refused: %s", error)
        return problem(409) if is_api_request() else _page(409)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        log.exception("unexpected error")
        return problem(500) if is_api_request() else _page(500)
