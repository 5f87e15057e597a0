from flask import current_app, url_for
from werkzeug.routing import BuildError

from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, PLAN_RIGHTS, can, can_any
from ct.web.current import tenant_blueprint

bp = tenant_blueprint("projects", __name__, "/projects")


def record_url(endpoint: str, **values) -> str | None:
    """The address of another area's page, or None when that page does not exist (the
    template then shows the name without a link)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:  # the page exists but names its id differently
        return None


@bp.context_processor
def project_rights():
    return {
        "can_manage": can(MANAGE_RECORDS),
        "can_delete": can(DELETE_TIERS),
        "can_plan": can_any(*PLAN_RIGHTS),
        "record_url": record_url,
    }


from ct.blueprints.projects import routes, tasks  # noqa: E402,F401
