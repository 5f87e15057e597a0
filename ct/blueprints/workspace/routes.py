from flask_babel import lazy_gettext as _l

from ct.blueprints.workspace import bp
from ct.htmx import render

AREAS = {
    "tiers": (_l("Third parties"), _l("Prospects, customers and suppliers will be listed here.")),
    "contacts": (_l("Contacts"), _l("The people you talk to at your third parties.")),
    "exchanges": (_l("All exchanges"), _l("Every call, email and meeting logged by your team.")),
    "agenda": (_l("Agenda"), _l("Upcoming events and reminders.")),
    "settings": (_l("Settings"), _l("Contact modes, objects and the options of the module.")),
}


def _area_page(area: str):
    title, description = AREAS[area]
    return render("workspace/area.html", area=area, title=title, description=description)


@bp.get("/tiers")
def tiers():
    return _area_page("tiers")


@bp.get("/contacts")
def contacts():
    return _area_page("contacts")


@bp.get("/exchanges")
def exchanges():
    return _area_page("exchanges")


@bp.get("/agenda")
def agenda():
    return _area_page("agenda")


@bp.get("/settings")
def settings():
    return _area_page("settings")
