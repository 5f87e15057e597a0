from ct.web.current import tenant_blueprint

bp = tenant_blueprint("trash", __name__, "/trash")

from ct.blueprints.trash import routes  # noqa: E402,F401
