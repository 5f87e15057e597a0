from ct.web.current import tenant_blueprint

bp = tenant_blueprint("contacts", __name__, "/contacts")

from ct.blueprints.contacts import routes  # noqa: E402,F401
