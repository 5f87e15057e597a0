from flask_babel import lazy_gettext as _l

from ct.blueprints.tiers import bp
from ct.htmx import render


@bp.get("/")
def index():
    return render("workspace/area.html", title=_l("Third parties"), description=_l("Prospects, customers and suppliers will be listed here."))
