from ct.web.current import tenant_blueprint

bp = tenant_blueprint("members", __name__, "/members")

from ct.blueprints.members import card_routes, routes  # noqa: E402,F401
