"""The human-readable API reference, rendered on the server from the OpenAPI document.

No JavaScript bundle from a CDN (the pages' CSP allows none): the operations, their
parameters, bodies and answers are listed from the same spec as /api/v1/openapi.json.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

reference_bp = Blueprint("api_reference", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(content: dict | None) -> str:
    media = next(iter((content or {}).values()), {})  # JSON or problem+json
    schema = media.get("schema") or {}
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref") or ""
    return ref.rpartition("/")[2]


def _answer(spec: dict, answer: dict) -> tuple[str, str]:
    """(description, schema name) of a response, following a reference to a shared one
    (flask-smorest's 422 and default error answers)."""
    name = answer.get("$ref", "").rpartition("/")[2]
    if name:
        answer = spec.get("components", {}).get("responses", {}).get(name, {})
    return answer.get("description", ""), _schema_name(answer.get("content"))


@reference_bp.get("/api/v1/")
def reference():
    from ct.blueprints.api import spec_of

    spec = spec_of(current_app)
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = item[method]
                operations.append({
                    "method": method.upper(), "path": path,
                    "summary": op.get("summary", ""), "description": op.get("description", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "parameters": op.get("parameters", []) + item.get("parameters", []),
                    "body": _schema_name((op.get("requestBody") or {}).get("content")),
                    "responses": [(code, *_answer(spec, answer))
                                  for code, answer in op.get("responses", {}).items()],
                })
    schemas = spec.get("components", {}).get("schemas", {})
    return render_template("api/reference.html", spec=spec, operations=operations,
                           schemas=schemas)
