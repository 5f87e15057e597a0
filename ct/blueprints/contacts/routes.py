from flask_babel import lazy_gettext as _l

from ct.blueprints.contacts import bp
from ct.htmx import render


@bp.get("/")
def index():
    return render("workspace/area.html", title=_l("Contacts"), description=_l("The people you talk to at your third parties."))
