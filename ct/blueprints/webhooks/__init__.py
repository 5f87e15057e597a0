"""The company's webhooks (administrators): the addresses ct tells of each change, their
signing secrets, and the log of what was sent to them."""

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("webhooks", __name__, "/webhooks")

from ct.blueprints.webhooks import routes  # noqa: E402,F401
