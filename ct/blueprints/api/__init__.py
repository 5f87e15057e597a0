"""REST API v1 (/api/v1): JSON only, a personal token as the credential, the OpenAPI
3.1 contract generated from the code by flask-smorest (docs/API.md says why).

A request authenticates with ``Authorization: Bearer ct_…`` (auth.py), which binds the
token's company and member exactly like a logged-in page; the views then use the same
rights checks and the same domain code as the pages. No cookie, no CSRF token: the
blueprint is exempt from CSRF because a browser never sends the bearer header on its own.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api, Blueprint

from ct.blueprints.api.auth import authenticate
from ct.blueprints.api.reference import reference_bp
from ct.blueprints.api.schemas import ProblemSchema
from ct.extensions import csrf
from ct.web.problems import PROBLEM_TYPE

bp = Blueprint("api", __name__, url_prefix="/api/v1",
               description="The REST API of ct, version 1.")
tiers_bp = Blueprint("api_tiers", __name__, url_prefix="/api/v1/tiers",
                     description="Third parties: prospects, customers and suppliers.")
contacts_bp = Blueprint("api_contacts", __name__, url_prefix="/api/v1/contacts",
                        description="Contacts: the people of the third parties.")
lists_bp = Blueprint("api_lists", __name__, url_prefix="/api/v1/lists",
                     description="The company's lists: contact modes and exchange objects.")
members_bp = Blueprint("api_members", __name__, url_prefix="/api/v1/members",
                       description="The company's members (read-only).")
exchanges_bp = Blueprint("api_exchanges", __name__, url_prefix="/api/v1/exchanges",
                         description="Exchanges with the third parties (calls, meetings, "
                                     "emails…), as the member sees them.")
events_bp = Blueprint("api_events", __name__, url_prefix="/api/v1/events",
                      description="Agenda events: meetings, calls and days planned.")
tasks_bp = Blueprint("api_tasks", __name__, url_prefix="/api/v1/tasks",
                     description="Tasks: things to do, by a due date, for a member.")
BLUEPRINTS = (bp, tiers_bp, contacts_bp, exchanges_bp, events_bp, tasks_bp, lists_bp,
              members_bp)


class CtApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Not flask-smorest's handler for every HTTPException of the whole app: the
        app's own handlers (ct.web.errors) answer problem+json under /api/v1 only."""


def init_api(app: Flask) -> None:
    app.config.update(
        API_TITLE="ct REST API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": "The records of one company, as the token's member "
                                    "sees them. See docs/API.md."},
            "security": [{"bearer": []}],
            "servers": [{"url": "/"}],
        },
    )
    api = CtApi(app)  # one per app: the tests build several
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer",
                   "description": "A personal API token (ct_…), made on the API tokens page."})
    for blueprint in BLUEPRINTS:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    # flask-smorest's shared error answers (422, default) say application/json: ours are
    # problem details (ct.web.problems).
    for response in api.spec.components.responses.values():
        content = response.get("content", {})
        if "application/json" in content:
            content[PROBLEM_TYPE] = content.pop("application/json")
    app.register_blueprint(reference_bp)


def spec_of(app: Flask) -> dict:
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


# Every route of the API authenticates first (set once: blueprints are module-level).
for _blueprint in BLUEPRINTS:
    _blueprint.before_request(authenticate)

from ct.blueprints.api import (  # noqa: E402,F401 — the routes
    contacts,
    events,
    exchanges,
    lists,
    tasks,
    tiers,
)
