"""All models, imported here so that Alembic and the app see every table."""

from ct.models.agenda import Event, EventAssignee, EventContact
from ct.models.api_token import ApiIdempotencyKey, ApiToken
from ct.models.attachment import ExchangeAttachment
from ct.models.audit import AuditEntry
from ct.models.calendar_token import CalendarToken
from ct.models.capture import CaptureAddress, InboundEmail
from ct.models.choices import Choice
from ct.models.contact import Contact
from ct.models.document import Document, Product
from ct.models.email_template import EmailTemplate
from ct.models.exchange import (
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    ExchangeMention,
    ExchangeProduct,
)
from ct.models.export_run import ExportRun
from ct.models.import_run import ImportRun
from ct.models.invitation import Invitation
from ct.models.membership import Group, GroupMember, Membership
from ct.models.outbox import OutboxEmail
from ct.models.project import Project, Task
from ct.models.settings import TenantSettings
from ct.models.tenant import Tenant
from ct.models.tiers import Tiers
from ct.models.trash import TrashItem
from ct.models.user import User
from ct.models.webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiIdempotencyKey", "ApiToken", "AuditEntry", "CalendarToken", "CaptureAddress", "Choice",
    "Contact", "InboundEmail",
    "Document", "EmailTemplate", "Event",
    "EventAssignee", "EventContact", "Exchange", "ExchangeCollaborator", "ExchangeContact",
    "ExchangeAttachment", "ExchangeMention", "ExchangeProduct", "ExportRun", "Group",
    "GroupMember", "ImportRun",
    "Invitation",
    "Membership", "OutboxEmail", "Product", "Project", "Task", "Tenant", "TenantSettings",
    "Tiers", "TrashItem", "User", "WebhookDelivery", "WebhookEndpoint",
]
