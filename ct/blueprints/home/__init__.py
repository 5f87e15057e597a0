from ct.web.current import tenant_blueprint

bp = tenant_blueprint("home", __name__)

from ct.blueprints.home import routes  # noqa: E402,F401
