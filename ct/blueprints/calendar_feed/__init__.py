"""A member's agenda as an iCalendar feed, at a private address they can revoke.

``bp`` holds the member's page (under the tenant) to create, replace or revoke the
address; ``feed_bp`` serves the feed itself at ``/calendar/<token>.ics``, without a
login: calendar applications fetch it on their own, and the token is the credential.
"""

from flask import Blueprint

from ct.web.current import tenant_blueprint

bp = tenant_blueprint("calendar_feed", __name__, "/agenda/feed")
feed_bp = Blueprint("calendar", __name__)

from ct.blueprints.calendar_feed import feed, routes  # noqa: E402,F401
