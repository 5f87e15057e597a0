from flask_babel import lazy_gettext as _l

from ct.blueprints.agenda import bp
from ct.htmx import render


@bp.get("/")
def index():
    return render("workspace/area.html", title=_l("Agenda"), description=_l("Upcoming events and reminders."))
