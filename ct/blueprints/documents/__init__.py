from ct.web.current import tenant_blueprint

bp = tenant_blueprint("documents", __name__, "/documents")

from ct.blueprints.documents import routes  # noqa: E402,F401
