from flask_babel import lazy_gettext as _l

from ct.blueprints.workspace import bp
from ct.htmx import render

AREAS = {
    "settings": (_l("Settings"), _l("Contact modes, objects and the options of the module.")),
}


def _area_page(area: str):
    title, description = AREAS[area]
    return render("workspace/area.html", title=title, description=description)


@bp.get("/settings")
def settings():
    return _area_page("settings")
