"""Bearer authentication of the API: the token's company and member, bound like a page's.

The token names its company (``ct_<tenant id>_…``): that company is bound first, then the
token is looked up under it (row-level security included), as the calendar feed does. The
member's rights then count exactly as on the pages (ct.core.permissions reads
``g.membership``). A missing, malformed, unknown or revoked token, or one of a member
who left, is 401. Each token has its own rate limit (Flask-Limiter's storage, Redis).
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

from flask import current_app, g, request
from limits import parse
from sqlalchemy import select, update
from werkzeug.exceptions import TooManyRequests, Unauthorized

from ct.core.session_cache import note_lists_version
from ct.core.tenancy import bind_tenant
from ct.extensions import db, limiter
from ct.models import ApiToken, Tenant
from ct.models.base import utcnow

LAST_USED_EVERY = timedelta(minutes=1)  # at most one write per token and minute for it


def authenticate():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized()
    tenant_id = ApiToken.tenant_of(token)
    if tenant_id is None:
        raise Unauthorized()
    g.tenant_token = bind_tenant(tenant_id)  # unbound by ct.web.current.forget_tenant
    row = ApiToken.find(token)
    if row is None or not row.membership.active:
        raise Unauthorized()
    _check_rate(row)
    g.tenant = db.session.scalar(select(Tenant).where(Tenant.id == tenant_id))
    # The company's cached lists (members' names…) hold while its lists version does,
    # as for a page (ct.web.current.load_user).
    note_lists_version(g.tenant.id, g.tenant.lists_version)
    g.membership, g.api_token = row.membership, row
    g._login_user = row.membership.user  # current_user, as Flask-Login reads it
    _note_use(row)
    return None


def _check_rate(row: ApiToken) -> None:
    if not limiter.enabled:
        return
    item = parse(current_app.config["API_RATE_LIMIT"])
    if limiter.limiter.hit(item, "api-token", str(row.id)):
        return
    reset = limiter.limiter.get_window_stats(item, "api-token", str(row.id)).reset_time
    error = TooManyRequests()
    error.problem_headers = {"Retry-After": str(max(1, math.ceil(reset - time.time())))}
    raise error


def _note_use(row: ApiToken) -> None:
    now = utcnow()
    if row.last_used_at is not None and now - row.last_used_at < LAST_USED_EVERY:
        return
    db.session.execute(update(ApiToken).where(ApiToken.id == row.id)
                       .values(last_used_at=now))
    db.session.commit()
