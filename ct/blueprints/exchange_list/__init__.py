"""All exchanges: the filtered list, its CSV export, mass actions and the history tabs."""

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("exchange_list", __name__, "/exchanges")

from ct.blueprints.exchange_list import bulk, export, routes  # noqa: E402,F401
