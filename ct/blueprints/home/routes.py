"""The home page: the member's widgets in their order, each also served alone (htmx
reloads it when an exchange is saved), the Customize form and the first steps."""

from __future__ import annotations

from flask import abort, flash, g, render_template, url_for
from flask_babel import gettext as _

from ct.blueprints.home import bp
from ct.blueprints.home.forms import LayoutForm
from ct.exchanges.status import STATUS_ICONS
from ct.extensions import db
from ct.home import counts, widgets
from ct.home.layout import LATEST, MENTIONS, NEXT, PAST, TEAM, WIDGETS, layout_of, save_layout
from ct.home.mentions import mentioned_in
from ct.models import TenantSettings
from ct.web.htmx import is_htmx_request, redirect_to, render


def widget_context(name: str, day: widgets.Day, checklist: counts.Checklist | None = None):
    """What the widget ``name`` shows (its own queries only)."""
    membership = g.membership
    if name == LATEST:
        return {"latest": widgets.latest_exchanges(membership), "status_icons": STATUS_ICONS}
    if name == NEXT:
        items, more = widgets.next_contacts(membership, day)
        return {"next_items": items, "next_more": more}
    if name == PAST:
        window = TenantSettings.current().widget_days
        return {"past": widgets.past_events(membership.id, day, window), "window": window}
    if name == MENTIONS:
        return {"mentioned": mentioned_in(membership)}
    if name == TEAM:
        return {"members_count": (checklist or counts.checklist(membership)).members}
    raise ValueError(name)


def home_page(form: LayoutForm | None = None, status: int = 200, saved: bool = False):
    """The page, or its body alone for htmx (after the Customize form). The Customize
    form is in it when ``form`` is given or the layout was just ``saved``; otherwise it
    loads when opened (customize_form)."""
    day = widgets.Day.current()
    layout = layout_of(g.membership)
    counters, checklist = counts.counters_and_checklist(g.membership, day)
    context = {"day": day}
    for name in layout.shown:
        context |= widget_context(name, day, checklist)
    return render("home/index.html", block="home_body", status=status, tenant=g.tenant,
                  layout=layout, widgets=WIDGETS, checklist=shown_checklist(checklist, layout),
                  home_counters=counters,
                  form=form or (LayoutForm.for_layout(layout) if saved else None),
                  customizing=form is not None or saved, saved=saved, **context)


def shown_checklist(checklist: counts.Checklist, layout) -> counts.Checklist | None:
    return None if checklist.done or layout.checklist_dismissed else checklist


@bp.get("/")
def index():
    return home_page()


@bp.get("/widgets/<name>")
def widget(name: str):
    if name not in WIDGETS:
        abort(404)
    day = widgets.Day.current()
    return render_template(f"home/_{name}.html", day=day, **widget_context(name, day))


@bp.get("/checklist")
def checklist():
    shown = shown_checklist(counts.checklist(g.membership), layout_of(g.membership))
    return render_template("home/_checklist.html", checklist=shown) if shown else ""


@bp.get("/counters")
def counters():
    return render_template("home/_counters.html",
                           home_counters=counts.counters(g.membership))


@bp.get("/customize")
def customize_form():
    """The Customize form, for htmx when the member opens it; the home page with it
    open otherwise."""
    layout = layout_of(g.membership)
    form = LayoutForm.for_layout(layout)
    if not is_htmx_request():
        return home_page(form)
    return render_template("home/_customize_form.html", form=form, layout=layout,
                           widgets=WIDGETS, saved=False)


@bp.post("/customize")
def customize():
    form = LayoutForm()
    if not form.validate():
        return home_page(form, status=422)
    layout = form.layout(layout_of(g.membership).checklist_dismissed)
    save_layout(g.membership, layout)
    db.session.commit()
    if is_htmx_request():
        return home_page(saved=True)
    flash(_("Your home page is saved."), "success")
    return redirect_to(url_for("home.index"))


@bp.post("/checklist/dismiss")
def dismiss_checklist():
    layout = layout_of(g.membership)
    layout.checklist_dismissed = True
    save_layout(g.membership, layout)
    db.session.commit()
    return redirect_to(url_for("home.index"))
