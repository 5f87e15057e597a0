from flask_babel import lazy_gettext as _l

from ct.blueprints.workspace import bp
from ct.htmx import render

AREAS = {
    "exchanges": (_l("All exchanges"), _l("Every call, email and meeting logged by your team.")),
}


def _area_page(area: str):
    title, description = AREAS[area]
    return render("workspace/area.html", title=title, description=description)


@bp.get("/exchanges")
def exchanges():
    return _area_page("exchanges")
