"""The company's API tokens page: a member makes and revokes their personal tokens for
the REST API; an administrator also sees every member's tokens and can revoke them."""

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("api_tokens", __name__, "/api-tokens")

from ct.blueprints.api_tokens import routes  # noqa: E402,F401
