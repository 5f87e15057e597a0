from ct.web.current import tenant_blueprint

bp = tenant_blueprint("audit_log", __name__, "/audit")

from ct.blueprints.audit_log import routes  # noqa: E402,F401
