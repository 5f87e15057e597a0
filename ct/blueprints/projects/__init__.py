from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, PLAN_RIGHTS, can, can_any
from ct.web.current import tenant_blueprint

bp = tenant_blueprint("projects", __name__, "/projects")


@bp.context_processor
def project_rights():
    return {
        "can_manage": can(MANAGE_RECORDS),
        "can_delete": can(DELETE_TIERS),
        "can_plan": can_any(*PLAN_RIGHTS),

    }


from ct.blueprints.projects import routes, tasks  # noqa: E402,F401
