"""Saving an exchange queues its emails in the same transaction: the collaborators when
"notify" is ticked (never the confidential part unless they may read it), the assignee
of its follow-up task."""

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import OutboxEmail
from tests.exchange_records import exchange_data, records  # noqa: F401 — fixture

pytestmark = pytest.mark.usefixtures("english_messages")


def outbox(app, tenant_id):
    with app.app_context(), bound_tenant(tenant_id):
        rows = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
        return [(row.kind, row.to_email, row.body_text) for row in rows]


def test_collaborators_and_task_assignee_are_emailed(app, client, auth, tenants, records):  # noqa: F811
    auth.login(tenants.a.admin_email)
    data = exchange_data(records.a, collaborator_ids=[str(records.a.member)],
                         notify_collaborators="y", comment="Devis accepté",
                         add_task="y", task_label="Relancer",
                         task_assignee_id=str(records.a.member),
                         task_due_date="2030-05-02")
    response = client.post(f"/t/{tenants.a.slug}/exchanges/new", data=data)
    assert response.status_code == 303
    sent = outbox(app, tenants.a.id)
    kinds = sorted(kind for kind, _to, _body in sent)
    assert kinds == ["exchange_notification", "task_assigned"]
    assert {to for _kind, to, _body in sent} == {tenants.a.member_email}
    info = next(body for kind, _to, body in sent if kind == "exchange_notification")
    assert "Devis accepté" in info and "Dupont Industrie" in info


def test_without_notify_nobody_is_emailed_about_the_exchange(app, client, auth, tenants,
                                                            records):  # noqa: F811
    auth.login(tenants.a.admin_email)
    data = exchange_data(records.a, collaborator_ids=[str(records.a.member)])
    assert client.post(f"/t/{tenants.a.slug}/exchanges/new", data=data).status_code == 303
    assert outbox(app, tenants.a.id) == []


def test_a_refused_exchange_queues_no_email(app, client, auth, tenants, records):  # noqa: F811
    auth.login(tenants.a.admin_email)
    data = exchange_data(records.a, tiers_id=None, collaborator_ids=[str(records.a.member)],
                         notify_collaborators="y")
    assert client.post(f"/t/{tenants.a.slug}/exchanges/new", data=data).status_code == 422
    assert outbox(app, tenants.a.id) == []
