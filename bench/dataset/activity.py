"""Exchanges (with their contacts, collaborators, products, follow-up task and event) and
the agenda.

Exchange ids grow with their date, as they would in a company logging them day after
day. ``search_text`` is ``fold(comment)`` and ``reminder_at`` is ``starts_at`` minus the
reminder, as the models' ``before_insert`` events compute them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ct.core.text import fold
from ct.demo.names import EVENT_TITLES, NEXT_STEPS, OPENINGS, SUBJECTS, TASK_LABELS, TOWNS
from ct.models.exchange import COMMENT_MAX, STATUS_CLOSED, STATUS_IN_PROGRESS, STATUS_TODO

from .records import TenantState

REMINDERS = (None, None, None, 15, 60, 1440)
ELSEWHERE_SHARE = 0.02  # exchanges with a contact of another tiers


def add_exchanges(gen, state: TenantState, count: int, big_tiers: int, years: int = 6) -> int:
    """``count`` exchanges, ``big_tiers`` of them with the tenant's first tiers.

    Returns the number of agenda events created along the way."""
    rng = gen.rng
    span = years * 365 * 86400
    start = gen.now - timedelta(seconds=span)
    offsets = sorted(rng.random() * span for _ in range(count))
    big = set(rng.sample(range(count), min(big_tiers, count)))
    n_tiers = len(state.tiers)
    events = 0
    recent = gen.now - timedelta(days=60)
    for position, offset in enumerate(offsets):
        if position in big or n_tiers == 1:
            index = 0
        else:
            index = 1 + int((n_tiers - 1) * rng.random() ** 1.15)  # a few busy tiers
        occurred = start + timedelta(seconds=int(offset))
        events += _add_exchange(gen, state, index, occurred, occurred > recent)
    return events


def _status(rng, is_recent: bool) -> str:
    r = rng.random()
    if is_recent:
        return STATUS_CLOSED if r < 0.5 else STATUS_IN_PROGRESS if r < 0.8 else STATUS_TODO
    return STATUS_CLOSED if r < 0.9 else STATUS_IN_PROGRESS if r < 0.95 else STATUS_TODO


def _add_exchange(gen, state: TenantState, index: int, occurred: datetime,
                  is_recent: bool) -> int:
    rng, sink, ids, lists = gen.rng, gen.sink, gen.ids, state.lists
    exchange_id = ids.next("exchanges")
    tiers_id = state.tiers[index]
    members = lists.member_ids
    author = rng.choice(members)
    made_by = author if rng.random() < 0.9 else rng.choice(members)
    people = state.contacts_of[index]
    chosen = rng.sample(people, min(len(people), rng.choice((1, 1, 1, 2, 2, 3))))
    if chosen and rng.random() < ELSEWHERE_SHARE:
        # A contact of another tiers (a group company, a contact who moved): these
        # exchanges appear in that other tiers' history too.
        other = state.contacts_of[rng.randrange(len(state.contacts_of))]
        if other and other[0] not in chosen:
            chosen[-1] = other[0]
    first = chosen[0][1] if chosen else "l'accueil"
    documents = state.documents_of.get(index)
    document = rng.choice(documents) if documents and rng.random() < 0.1 else None
    projects = state.projects_of.get(index)
    project_id = rng.choice(projects) if projects and rng.random() < 0.3 else None
    reference = document[1] if document else f"DV-{occurred.year}-{rng.randint(1, 99999):06d}"
    comment = (f"{rng.choice(OPENINGS).format(first=first)} "
               f"{rng.choice(SUBJECTS).format(ref=reference)}. {rng.choice(NEXT_STEPS)}").strip()
    confidential = rng.random() < 0.02 and lists.groups
    task_id = _add_task(gen, state, author, project_id, occurred) if rng.random() < 0.05 else None
    event_id = (_add_event(gen, state, index, occurred + timedelta(days=rng.randint(1, 14)),
                           chosen[:1], [author]) if rng.random() < 0.05 else None)
    collaborators = (rng.sample([m for m in members if m != author], rng.randint(1, 2))
                     if rng.random() < 0.2 and len(members) > 2 else [])
    created = occurred + timedelta(minutes=rng.randint(0, 120))
    sink.add("exchanges", (
        exchange_id, state.id, tiers_id, document[0] if document else None, project_id,
        occurred, author, made_by, rng.choice(lists.modes), rng.choice(lists.objects),
        _status(rng, is_recent), comment,
        "Marge négociée, ne pas diffuser." if confidential else None,
        rng.choice(lists.groups) if confidential else None,
        bool(collaborators) and rng.random() < 0.5, task_id, event_id, None,
        fold(comment)[:COMMENT_MAX], created, created,
    ))
    for contact_id, _first in chosen:
        sink.add("exchange_contacts", (ids.next("exchange_contacts"), state.id, exchange_id,
                                       contact_id))
    for member in collaborators:
        sink.add("exchange_collaborators", (ids.next("exchange_collaborators"), state.id,
                                            exchange_id, member))
    if state.products and rng.random() < 0.05:
        sink.add("exchange_products", (ids.next("exchange_products"), state.id, exchange_id,
                                       rng.choice(state.products)))
    return 1 if event_id else 0


def _add_task(gen, state: TenantState, assignee: int, project_id, occurred: datetime) -> int:
    rng = gen.rng
    task_id = gen.ids.next("tasks")
    due = (occurred + timedelta(days=rng.randint(1, 21))).date()
    done = due < gen.now.date() and rng.random() < 0.9
    done_at = datetime.combine(due, occurred.timetz()) if done else None
    gen.sink.add("tasks", (task_id, state.id, rng.choice(TASK_LABELS), project_id, assignee, due,
                           done, done_at, assignee, occurred, done_at or occurred))
    return task_id


def _add_event(gen, state: TenantState, index: int | None, day: datetime,
               contacts: list, assignees: list[int]) -> int:
    rng = gen.rng
    event_id = gen.ids.next("events")
    starts = day.replace(hour=rng.randint(7, 16), minute=rng.choice((0, 15, 30, 45)), second=0)
    ends = starts + timedelta(minutes=rng.choice((30, 60, 90, 120)))
    minutes = rng.choice(REMINDERS)
    reminder_at = starts - timedelta(minutes=minutes) if minutes is not None else None
    # Reminders due before today count as sent: the clock must not mail years of them.
    sent = reminder_at if reminder_at is not None and reminder_at <= gen.now else None
    gen.sink.add("events", (
        event_id, state.id, rng.choice(EVENT_TITLES), starts, ends, False,
        rng.choice(TOWNS)[0] if rng.random() < 0.5 else None, None,
        state.tiers[index] if index is not None else None, minutes, reminder_at, sent,
        ends < gen.now, assignees[0], starts - timedelta(days=2), starts - timedelta(days=2),
    ))
    for contact_id, _first in contacts:
        gen.sink.add("event_contacts", (gen.ids.next("event_contacts"), state.id, event_id,
                                        contact_id))
    for member in assignees:
        gen.sink.add("event_assignees", (gen.ids.next("event_assignees"), state.id, event_id,
                                         member))
    return event_id


def add_agenda(gen, state: TenantState, count: int) -> None:
    """Events of their own (not follow-ups of an exchange): three years back, six months
    ahead."""
    rng, members = gen.rng, state.lists.member_ids
    for _ in range(count):
        day = gen.now + timedelta(days=rng.randint(-3 * 365, 182))
        index = rng.randrange(len(state.tiers)) if rng.random() < 0.7 else None
        people = state.contacts_of[index][:1] if index is not None else []
        assignees = rng.sample(members, min(len(members), rng.randint(1, 2)))
        _add_event(gen, state, index, day, people, assignees)
