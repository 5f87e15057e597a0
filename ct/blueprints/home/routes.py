from flask import g

from ct.blueprints.home import bp
from ct.htmx import render
from ct.models import Membership


@bp.get("/")
def index():
    members_count = len(Membership.all_active())
    return render("home/index.html", members_count=members_count, tenant=g.tenant)
