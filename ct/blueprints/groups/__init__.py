"""Groups of members: who reads a confidential comment shared with a group."""

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("groups", __name__, "/groups")

from ct.blueprints.groups import routes  # noqa: E402,F401
