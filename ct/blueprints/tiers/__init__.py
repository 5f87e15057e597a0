from ct.web.current import tenant_blueprint

bp = tenant_blueprint("tiers", __name__, "/tiers")

from ct.blueprints.tiers import card, routes  # noqa: E402,F401
