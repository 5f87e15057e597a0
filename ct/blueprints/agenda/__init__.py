from flask import current_app, url_for
from werkzeug.routing import BuildError

from ct.blueprints.agenda.times import describe_reminder, event_days
from ct.core.permissions import PLAN_RIGHTS, can_any
from ct.web.current import tenant_blueprint

bp = tenant_blueprint("agenda", __name__, "/agenda")


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
def agenda_helpers():
    return {"can_plan": can_any(*PLAN_RIGHTS), "record_url": record_url,
            "describe_reminder": describe_reminder, "event_days": event_days}


from ct.blueprints.agenda import editing, routes, week  # noqa: E402,F401
