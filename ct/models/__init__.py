"""All models, imported here so that Alembic and the app see every table."""

from ct.models.choices import Choice
from ct.models.invitation import Invitation
from ct.models.membership import Group, GroupMember, Membership
from ct.models.outbox import OutboxEmail
from ct.models.tenant import Tenant
from ct.models.user import User

__all__ = ["Choice", "Group", "GroupMember", "Invitation", "Membership", "OutboxEmail", "Tenant", "User"]
