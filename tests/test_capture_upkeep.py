"""The clock's care of captured emails: the raw mail logged or dismissed more than
CAPTURE_KEEP_DAYS ago is deleted, in every company; waiting and recent ones stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from ct.capture.upkeep import purge_inbound
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import InboundEmail
from ct.models.base import utcnow
from tests.capture_support import exchanges_of, inbound_of, waiting_email


def _set(app, tenant_id, inbound_id, **values):
    with app.app_context(), bound_tenant(tenant_id):
        db.session.execute(update(InboundEmail).where(InboundEmail.id == inbound_id)
                           .values(**values))
        db.session.commit()


def test_old_logged_and_dismissed_mail_is_deleted_and_the_rest_kept(app, tenants):
    long_ago = utcnow() - timedelta(days=app.config["CAPTURE_KEEP_DAYS"] + 1)
    old_done = waiting_email(app, tenants.a.id, tenants.a.member_membership_id)
    old_dismissed = waiting_email(app, tenants.a.id, tenants.a.member_membership_id,
                                  message_id="<w2@alpha.fr>")
    recent = waiting_email(app, tenants.a.id, tenants.a.member_membership_id,
                           message_id="<w3@alpha.fr>")
    old_waiting = waiting_email(app, tenants.a.id, tenants.a.member_membership_id,
                                message_id="<w4@alpha.fr>")
    theirs = waiting_email(app, tenants.b.id, tenants.b.member_membership_id)
    _set(app, tenants.a.id, old_done, status="done", processed_at=long_ago)
    _set(app, tenants.a.id, old_dismissed, status="dismissed", processed_at=long_ago)
    _set(app, tenants.a.id, recent, status="done", processed_at=utcnow())
    _set(app, tenants.a.id, old_waiting, processed_at=long_ago)
    _set(app, tenants.b.id, theirs, status="done", processed_at=long_ago)
    with app.app_context():
        assert purge_inbound() == 3
    assert [r.id for r in inbound_of(app, tenants.a.id)] == [recent, old_waiting]
    assert inbound_of(app, tenants.b.id) == []
    assert exchanges_of(app, tenants.a.id) == []
    with app.app_context():
        assert purge_inbound() == 0
