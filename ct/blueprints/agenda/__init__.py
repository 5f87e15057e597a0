from ct.current import tenant_blueprint

bp = tenant_blueprint("agenda", __name__, "/agenda")

from ct.blueprints.agenda import routes  # noqa: E402,F401
