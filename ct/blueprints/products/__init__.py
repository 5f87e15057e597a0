from ct.web.current import tenant_blueprint

bp = tenant_blueprint("products", __name__, "/products")

from ct.blueprints.products import routes  # noqa: E402,F401
