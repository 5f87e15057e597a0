"""The company's data: export all of it, follow background exports, close the company."""

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("account_data", __name__, "/data")

from ct.blueprints.account_data import routes  # noqa: E402,F401
