from ct.current import tenant_blueprint

bp = tenant_blueprint("search", __name__, "/search")

from ct.blueprints.search import routes  # noqa: E402,F401
