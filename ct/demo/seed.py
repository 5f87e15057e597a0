"""The demo company of ``make run``: created once, found again on later runs."""


from sqlalchemy import select

from ct.auth import accounts
from ct.core.permissions import ROLE_MEMBER
from ct.core.tenancy import bound_tenant
from ct.core.zone import company_zone
from ct.demo.activity import seed_activity
from ct.demo.records import seed_records
from ct.extensions import db
from ct.models import Group, GroupMember, Membership, Tenant, User

DEMO_SLUG = "demo"
DEMO_EMAIL = "demo@demo-negoce.fr"
DEMO_PASSWORD = "demo-password-2026"

TEAM = [
    ("Camille Lefèvre", "camille.lefevre@demo-negoce.fr"),
    ("Théo Durand", "theo.durand@demo-negoce.fr"),
    ("Léa Moreau", "lea.moreau@demo-negoce.fr"),
]


def seed() -> bool:
    """Create the demo company; False when it already exists."""
    if db.session.scalar(select(Tenant).where(Tenant.slug == DEMO_SLUG)) is not None:
        return False
    tenant = accounts.sign_up("Démo Négoce SARL", "Alex Martin", DEMO_EMAIL, DEMO_PASSWORD, "fr")
    tenant.slug = DEMO_SLUG
    db.session.flush()
    with bound_tenant(tenant.id):
        sales = Group(name="Commerciaux")
        db.session.add(sales)
        team = []
        for name, email in TEAM:
            user = User.by_email(email) or accounts.create_user(email, name, DEMO_PASSWORD, "fr")
            membership = Membership.create(user, ROLE_MEMBER)
            db.session.flush()
            sales.members.append(GroupMember(membership=membership))
            team.append(membership)
        db.session.flush()
        zone = company_zone()
        admin = Membership.by_email(DEMO_EMAIL)
        seed_records(admin, team)  # months of history first: the recent activity comes on top
        seed_activity(admin, team, zone)
    return True
