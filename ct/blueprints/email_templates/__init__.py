from ct.web.current import tenant_blueprint

bp = tenant_blueprint("email_templates", __name__, "/email-templates")

from ct.blueprints.email_templates import routes  # noqa: E402,F401
