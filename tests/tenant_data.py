"""A company with a row in every tenant table, and the row counts of a tenant, table by
table: what the export and the closing tests compare.

``populate`` must fill every table that ``tenant_tables()`` lists; ``assert_full``
fails with the name of a new table nobody added here yet.
"""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from ct.attachments.files import attach, check
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import (
    ApiIdempotencyKey,
    ApiToken,
    AuditEntry,
    CalendarToken,
    CaptureAddress,
    EmailTemplate,
    Event,
    EventAssignee,
    EventContact,
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    ExchangeMention,
    ExchangeProduct,
    ExportRun,
    ImportRun,
    InboundEmail,
    Invitation,
    Membership,
    OutboxEmail,
    Task,
    TenantSettings,
    TrashItem,
)
from ct.models.base import utcnow
from ct.models.webhook import WebhookDelivery
from ct.records.export import tenant_tables
from ct.webhooks import manage
from tests.conftest import owner_engine
from tests.exchange_records import Side, _side


def populate(app, tenant, name: str) -> Side:
    """The records of exchange_records plus a row in each remaining tenant table;
    ``name`` marks this tenant's texts (an exchange comment, a task, an event)."""
    with app.app_context():
        side = _side(tenant)
        with bound_tenant(tenant.id):
            admin = db.session.scalar(select(Membership).where(Membership.id == side.admin))
            exchange = Exchange(tiers_id=side.tiers, author_id=side.admin, made_by_id=side.member,
                                comment=f"Comment {name}", mode_id=side.mode,
                                object_id=side.object, document_id=side.document,
                                project_id=side.project)
            event = Event(title=f"Meeting {name}", starts_at=utcnow(),
                          ends_at=utcnow() + timedelta(hours=1))
            db.session.add_all([exchange, event])
            db.session.flush()
            settings = db.session.scalar(select(TenantSettings))
            if settings is None:
                db.session.add(TenantSettings.current())
            db.session.add_all([
                ExchangeContact(exchange_id=exchange.id, contact_id=side.contact),
                ExchangeCollaborator(exchange_id=exchange.id, membership_id=side.member),
                ExchangeProduct(exchange_id=exchange.id, product_id=side.product),
                ExchangeMention(exchange_id=exchange.id, membership_id=side.member),
                EventAssignee(event_id=event.id, membership_id=side.member),
                EventContact(event_id=event.id, contact_id=side.contact),
                Task(label=f"Task {name}"),
                EmailTemplate(name="exchange_new", language="fr", subject=f"Sujet {name}",
                              body_text="Bonjour", body_html="<p>Bonjour</p>"),
                ImportRun(kind="tiers", filename="tiers.csv", encoding="utf-8", delimiter=",",
                          content=b"name\nSecret file\n"),
                OutboxEmail(kind="test", to_email=f"someone@{name}.test", subject="Hello",
                            body_text="Hello"),
                ExportRun(kind="tenant", created_by_id=side.admin),
                TrashItem(kind="exchange", record_id=999_999, label=f"Exchange {name}",
                          payload={}, deleted_by_id=side.admin),
            ])
            CalendarToken.issue(admin)
            attach(exchange, [check(f"quote-{name}.txt", io.BytesIO(f"Quote {name}".encode()))],
                   admin)
            token, _secret = ApiToken.issue(admin, f"Script {name}")
            db.session.flush()
            db.session.add(ApiIdempotencyKey(token_id=token.id, key="k", fingerprint="0" * 64,
                                             status=201, body="{}"))
            Invitation.issue(f"guest@{name}.test", "member", admin)
            AuditEntry.record(admin, "settings.update", {"x": 1}, {"x": 2})
            address = CaptureAddress.issue(admin)
            endpoint = manage.register(f"https://hooks.{name}.test/ct", None,
                                       ["tiers.created"], created_by_id=admin.id)
            db.session.flush()
            db.session.add_all([
                InboundEmail(membership_id=admin.id, address_id=address.id,
                             raw=f"Subject: {name}\n\nBonjour".encode(), status="done"),
                WebhookDelivery(endpoint_id=endpoint.id, event_type="tiers.created",
                                message_id=WebhookDelivery.new_message_id(), payload="{}"),
            ])
            db.session.commit()
        return side


def row_counts(app, tenant_id: int) -> dict[str, int]:
    """Rows of ``tenant_id`` in each tenant table (read past the scoping on purpose)."""
    # The owner's connection: the app's role only sees the bound tenant's rows.
    with app.app_context(), owner_engine().connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)
                                    .where(t.c.tenant_id == tenant_id))
                for t in tenant_tables()}


def assert_full(counts: dict[str, int]) -> None:
    empty = sorted(name for name, count in counts.items() if not count)
    assert not empty, f"add a row of {empty} to tests/tenant_data.populate()"
