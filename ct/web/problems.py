"""RFC 9457 problem details: every error of the REST API (/api/v1) as
``application/problem+json``, never an HTML page.

The web error handlers (ct.web.errors) ask ``is_api_request()`` first, so one set of
handlers serves both: pages keep their translated error pages, API clients get a
machine-readable body with the same status.
"""

from __future__ import annotations

from flask import Response, json, request
from werkzeug.http import HTTP_STATUS_CODES

API_PREFIX = "/api/v1"
PROBLEM_TYPE = "application/problem+json"

DETAILS = {
    400: "The request could not be understood.",
    401: "A valid API token is required: send it as 'Authorization: Bearer <token>'.",
    403: "The token's member does not have the right to do this.",
    404: "No such resource, or the token's company has no access to it.",
    405: "This method is not allowed on this resource.",
    409: "The resource changed meanwhile or is still in use; nothing was saved.",
    412: "The resource changed since you read it (If-Match): read it again, then retry.",
    413: "The request body is too large.",
    415: "Send a JSON body with 'Content-Type: application/json'.",
    422: "Some fields are not valid: see 'errors'.",
    429: "Too many requests with this token: wait for Retry-After seconds.",
    500: "An unexpected error happened; nothing was saved.",
}


def is_api_request() -> bool:
    path = request.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def problem(status: int, detail: str | None = None, errors: dict | None = None,
            headers: dict | None = None) -> Response:
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or DETAILS.get(status, DETAILS[500] if status >= 500 else ""),
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    response.headers.update(headers or {})
    return response


def _messages(value) -> list[str]:
    """A field's messages as one flat list: marshmallow nests those of a list's items
    (``{"0": ["Not a valid…"]}``), which the documented shape (field → messages) has not."""
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list | tuple):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def from_http_exception(error) -> Response:
    """A werkzeug/flask-smorest HTTPException as a problem: the field errors of the
    request's validation (webargs puts them under the location: json, query, headers)
    flattened to ``{"field": ["message"]}``."""
    data = getattr(error, "data", None) or {}
    found = data.get("errors") or data.get("messages") or {}
    errors: dict = {}
    for location, fields in found.items():
        if isinstance(fields, dict):
            errors.update({name: _messages(value) for name, value in fields.items()})
        else:
            errors[location] = _messages(fields)
    detail = data.get("detail") or data.get("message")
    headers = dict(getattr(error, "problem_headers", {}) or {})
    if error.code == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="ct"')
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(error.code, detail if isinstance(detail, str) else None, errors or None,
                   headers)
