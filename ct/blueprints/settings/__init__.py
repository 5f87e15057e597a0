"""The tenant's settings of the module: options, lists, products of the exchange form."""

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("settings", __name__, "/settings")

from ct.blueprints.settings import list_routes, routes  # noqa: E402,F401
