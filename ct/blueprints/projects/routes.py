from flask_babel import lazy_gettext as _l

from ct.blueprints.projects import bp
from ct.htmx import render


@bp.get("/")
def index():
    return render("workspace/area.html", title=_l("Projects"), description=_l("Projects and their tasks."))


@bp.get("/tasks")
def my_tasks():
    return render("workspace/area.html", title=_l("My tasks"),
                  description=_l("Your tasks: overdue, today and upcoming."))
