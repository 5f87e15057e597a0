from ct.web.current import tenant_blueprint

bp = tenant_blueprint("email_log", __name__, "/email-log")

from ct.blueprints.email_log import routes  # noqa: E402,F401
