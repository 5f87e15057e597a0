from ct.current import tenant_blueprint

bp = tenant_blueprint("projects", __name__, "/projects")

from ct.blueprints.projects import routes  # noqa: E402,F401
