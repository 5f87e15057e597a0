from flask_babel import lazy_gettext as _l

from ct.blueprints.products import bp
from ct.htmx import render


@bp.get("/")
def index():
    return render("workspace/area.html", title=_l("Products"), description=_l("The products your exchanges can be about."))
