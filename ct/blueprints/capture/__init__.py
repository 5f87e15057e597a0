"""The member's capture address in the company: shown, copied, renewed."""

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("capture", __name__, "/capture")

from ct.blueprints.capture import routes  # noqa: E402,F401
