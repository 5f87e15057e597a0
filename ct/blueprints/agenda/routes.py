"""The agenda list (upcoming or past, mine or everyone's), the event card, deleting.

Rights: every member reads the agenda; see ``PLAN_RIGHTS`` for writing.
"""

from __future__ import annotations

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ct.blueprints.agenda import bp
from ct.core.ids import submitted_id
from ct.core.pagination import Page, keyset_page
from ct.core.permissions import PLAN_RIGHTS, require_any_right
from ct.core.search import MAX_QUERY
from ct.core.tenancy import find
from ct.core.zone import local_today, start_of_day
from ct.exchanges.links import exchanges_following_event, unlink_event
from ct.extensions import db
from ct.models import Contact, Event, EventAssignee, EventContact, Tiers
from ct.web.htmx import redirect_to, render
from ct.web.lookups import contact_choices, get_or_404, tiers_choices

WHEN = {"upcoming": _l("Upcoming"), "past": _l("Past")}
WHO = {"mine": _l("Mine"), "all": _l("Everyone's")}
LIST_ORDER = [Event.starts_at, Event.id]  # the list's keyset (descending for the past)


def with_people(query):
    """Load what a list shows in a fixed number of queries, whatever the row count."""
    return query.options(
        selectinload(Event.tiers),
        selectinload(Event.assignee_links).selectinload(EventAssignee.membership),
        selectinload(Event.contact_links).selectinload(EventContact.contact),
    )


def assigned_to(membership_id: int):
    return Event.id.in_(
        select(EventAssignee.event_id).where(EventAssignee.membership_id == membership_id))


def chosen_who() -> str:
    """Whose events a view shows: the member's own unless everyone's is asked."""
    who = request.args.get("who", "mine")
    return who if who in WHO else "mine"


def list_filters() -> dict:
    when = request.args.get("when", "upcoming")
    tiers = find(Tiers, submitted_id(request.args.get("tiers")))
    return {"when": when if when in WHEN else "upcoming", "who": chosen_who(),
            "tiers": tiers.id if tiers else None}


def agenda_page(filters: dict, membership_id: int, cursor: str | None,
                per_page: int = 25, loading=with_people) -> Page:
    """One page of the agenda list: upcoming events soonest first, or past ones latest
    first; the member's or everyone's; of one third party or all."""
    query = loading(select(Event))
    # "Upcoming" starts at today's midnight: this morning's meeting is still on the list.
    boundary = start_of_day(local_today())
    past = filters["when"] == "past"
    query = query.where(Event.starts_at < boundary if past else Event.starts_at >= boundary)
    if filters["who"] == "mine":
        query = query.where(assigned_to(membership_id))
    if filters["tiers"]:
        query = query.where(Event.tiers_id == filters["tiers"])
    return keyset_page(query, LIST_ORDER, cursor, per_page, descending=past)


@bp.get("/")
def index():
    filters = list_filters()
    page = agenda_page(filters, g.membership.id, request.args.get("cursor"))
    tiers = find(Tiers, filters["tiers"])
    return render("agenda/index.html", block="results", page=page, filters=filters,
                  when_tabs=WHEN, who_tabs=WHO, tiers=tiers)


@bp.get("/<int:event_id>")
def card(event_id: int):
    event = get_or_404(Event, event_id)
    return render("agenda/card.html", event=event)


@bp.route("/<int:event_id>/delete", methods=["GET", "POST"])
@require_any_right(*PLAN_RIGHTS)
def delete_event(event_id: int):
    event = get_or_404(Event, event_id)
    if request.method == "POST":
        title = event.title
        unlink_event(event.id)  # the exchanges it follows up stay, without the link
        db.session.delete(event)  # its contact and assignee links go with it (cascade)
        db.session.commit()
        flash(_("Event “%(title)s” deleted.", title=title), "success")
        return redirect_to(url_for(".index"))
    return render("agenda/delete.html", event=event,
                  follow_ups=exchanges_following_event(event.id))


@bp.get("/tiers-options")
def tiers_options():
    """The <option>s of the third-party select, narrowed by the search box beside it."""
    selected = submitted_id(request.args.get("tiers"))
    q = (request.args.get("tiers_q") or "")[:MAX_QUERY]
    return render("projects/_options.html", choices=tiers_choices(selected, q),
                  selected=[selected])


@bp.get("/contact-options")
def contact_options():
    """The contacts select for the chosen third party; chosen contacts of another third
    party are let go, so changing the third party does not leave strangers selected."""
    tiers_id = submitted_id(request.args.get("tiers")) or None
    chosen = [i for i in map(submitted_id, request.args.getlist("contacts")) if i]
    if tiers_id and chosen:
        chosen = list(db.session.scalars(select(Contact.id).where(
            Contact.id.in_(chosen),
            (Contact.tiers_id == tiers_id) | Contact.tiers_id.is_(None))))
    q = (request.args.get("contacts_q") or "")[:MAX_QUERY]
    return render("projects/_options.html", choices=contact_choices(chosen, tiers_id, q),
                  selected=chosen)
