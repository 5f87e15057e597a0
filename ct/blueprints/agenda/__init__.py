from ct.blueprints.agenda.times import describe_reminder, event_days
from ct.core.permissions import PLAN_RIGHTS, can_any
from ct.web.current import tenant_blueprint

bp = tenant_blueprint("agenda", __name__, "/agenda")


@bp.context_processor
def agenda_helpers():
    return {"can_plan": can_any(*PLAN_RIGHTS), "describe_reminder": describe_reminder,
            "event_days": event_days}


from ct.blueprints.agenda import editing, month, routes, week  # noqa: E402,F401
