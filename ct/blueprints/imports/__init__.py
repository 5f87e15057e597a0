from ct.web.current import tenant_blueprint

bp = tenant_blueprint("imports", __name__, "/import")

from ct.blueprints.imports import routes  # noqa: E402,F401
