"""Personal API tokens of the bench members, for the REST API's rows of ``make bench``.

They are issued as the admin page issues them (``ApiToken.issue``, as the application's
role under row-level security) when the run starts, one per simulated user, and deleted
when it ends: the dataset keeps none. Tokens left by a run that was killed carry the
same name and are deleted before new ones are issued.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bench.context import SECRET_KEY as BENCH_SECRET_KEY
from bench.context import app_database_url

TOKEN_NAME = "make bench"


def _app():
    from ct import create_app
    from ct.config import Config, _database_url

    class TokenConfig(Config):
        SQLALCHEMY_DATABASE_URI = _database_url(app_database_url())
        SECRET_KEY = BENCH_SECRET_KEY
        REDIS_URL = None  # nothing queued, nothing counted: only the tokens' rows
        RATELIMIT_ENABLED = False
        EMBEDDED_CLOCK = False
        MAIL_SUPPRESS_SEND = True

    return create_app(TokenConfig)


@contextmanager
def bench_tokens(tenant_id: int, membership_ids: list[int]) -> Iterator[list[str]]:
    """A token of each member of ``membership_ids`` (in that order), deleted afterwards."""
    from sqlalchemy import delete, select

    from ct.core.tenancy import bound_tenant
    from ct.extensions import db
    from ct.models import ApiToken, Membership

    app = _app()

    def forget() -> None:
        with app.app_context(), bound_tenant(tenant_id):
            db.session.execute(delete(ApiToken).where(ApiToken.name == TOKEN_NAME))
            db.session.commit()

    forget()
    with app.app_context(), bound_tenant(tenant_id):
        members = {m.id: m for m in db.session.scalars(
            select(Membership).where(Membership.id.in_(membership_ids)))}
        tokens = [ApiToken.issue(members[member_id], TOKEN_NAME)[1]
                  for member_id in membership_ids]
        db.session.commit()
    try:
        yield tokens
    finally:
        forget()
        with app.app_context():
            db.engine.dispose()

