"""Pages of the areas that later work fills in; each already answers with a clear empty state."""

from ct.current import tenant_blueprint

bp = tenant_blueprint("workspace", __name__)

from ct.blueprints.workspace import routes  # noqa: E402,F401
