from ct.current import tenant_blueprint

bp = tenant_blueprint("members", __name__, "/members")

from ct.blueprints.members import routes  # noqa: E402,F401
