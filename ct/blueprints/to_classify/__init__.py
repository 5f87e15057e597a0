"""The member's captured emails to classify: people no contact matched, and the emails
that could not be read."""

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("to_classify", __name__, "/exchanges/to-classify")

from ct.blueprints.to_classify import routes  # noqa: E402,F401
