from flask_babel import lazy_gettext as _l

from ct.blueprints.imports import bp
from ct.htmx import render


@bp.get("/")
def index():
    return render("workspace/area.html", title=_l("Import"), description=_l("Import third parties and contacts from a CSV file."))
