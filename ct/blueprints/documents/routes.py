from flask_babel import lazy_gettext as _l

from ct.blueprints.documents import bp
from ct.htmx import render


@bp.get("/")
def index():
    return render("workspace/area.html", title=_l("Documents"), description=_l("Quotes, orders, invoices and contracts of your third parties."))
