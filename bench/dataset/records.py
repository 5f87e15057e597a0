"""Third parties, their contacts, documents, projects and the tenant's products.

Derived columns are computed with the same functions, on the same inputs, as the
models' ``before_insert`` events (ct/models/tiers.py, contact.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from ct.core.text import company_key, fold, search_blob
from ct.demo.names import (
    COMPANY_TRADES,
    COMPANY_WORDS,
    DOMAINS,
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
    LEGAL_FORMS,
    PRODUCTS,
    STREETS,
    TOWNS,
)
from ct.models.contact import NAME_MAX as CONTACT_NAME_MAX
from ct.models.document import DOCUMENT_STATUSES
from ct.models.tiers import NAME_MAX as TIERS_NAME_MAX

from .accounts import TenantLists, email_of

DOCUMENT_PREFIX = {"quote": "DV", "order": "CM", "invoice": "FA", "contract": "CT",
                   "intervention": "IN"}


@dataclass
class TenantState:
    """One tenant's generated ids, kept so that every link stays inside the tenant."""

    id: int
    lists: TenantLists
    tiers: list[int] = field(default_factory=list)
    # Per tiers (same index as ``tiers``): its contacts as (id, first name).
    contacts_of: list[list[tuple[int, str]]] = field(default_factory=list)
    documents_of: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    projects_of: dict[int, list[int]] = field(default_factory=dict)
    products: list[int] = field(default_factory=list)


def phone(rng) -> str:
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
    return f"0{rng.randint(1, 9)} {pairs}"


def company_name(rng) -> str:
    last = rng.choice(LAST_NAMES)
    r = rng.random()
    if r < 0.35:
        base = f"{rng.choice(COMPANY_WORDS)} {last}"
    elif r < 0.6:
        base = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_TRADES)}"
    elif r < 0.75:
        base = f"{last} & Fils"
    elif r < 0.9:
        base = f"{last}-{rng.choice(LAST_NAMES)}"
    else:
        base = f"{rng.choice(COMPANY_WORDS)} {last} ({rng.choice(TOWNS)[0]})"
    return f"{base} {rng.choice(LEGAL_FORMS)}".strip()


def add_tiers(gen, state: TenantState, count: int) -> None:
    rng, members = gen.rng, state.lists.member_ids
    for _ in range(count):
        tiers_id = gen.ids.next("tiers")
        name = company_name(rng)
        is_customer = rng.random() < 0.6
        code = f"CL{tiers_id:07d}" if is_customer else None
        slug = "-".join(fold(name).replace("&", "et").replace("'", " ").split())[:40]
        email = f"contact@{slug}.fr" if rng.random() < 0.7 else None
        tel = phone(rng) if rng.random() < 0.8 else None
        town, postcode = rng.choice(TOWNS)
        created = gen.past(3000)
        gen.sink.add("tiers", (
            tiers_id, state.id, name, not is_customer and rng.random() < 0.7, is_customer,
            rng.random() < 0.15, code, email, tel,
            f"https://www.{slug}.fr" if rng.random() < 0.3 else None,
            f"{rng.randint(1, 120)} {rng.choice(STREETS)}", postcode, town, "France",
            rng.choice(members) if rng.random() < 0.7 else None, None, rng.random() < 0.95,
            rng.choice(members), fold(name)[:TIERS_NAME_MAX], company_key(name)[:TIERS_NAME_MAX],
            search_blob(name, code, email, town, tel, postcode), created, created,
        ))
        state.tiers.append(tiers_id)
        state.contacts_of.append([])


def add_contacts(gen, state: TenantState, count: int) -> None:
    """One contact per tiers first (every tiers has someone to talk to), then the rest
    spread unevenly; one in twenty belongs to no tiers."""
    rng, members, n_tiers = gen.rng, state.lists.member_ids, len(state.tiers)
    for number in range(count):
        if number < n_tiers:
            index = number
        elif rng.random() < 0.05:
            index = None
        else:
            index = int(n_tiers * rng.random() ** 1.5)
        contact_id = gen.ids.next("contacts")
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        job = rng.choice(JOB_TITLES)
        email = email_of(first, last, rng.choice(DOMAINS), rng) if rng.random() < 0.8 else None
        tel = phone(rng) if rng.random() < 0.6 else None
        mobile = "06" + phone(rng)[2:] if rng.random() < 0.5 else None
        created = gen.past(3000)
        gen.sink.add("contacts", (
            contact_id, state.id, first, last, job, email, tel, mobile,
            state.tiers[index] if index is not None else None, None, rng.choice(members),
            fold(f"{last or ''} {first or ''}").strip()[: 2 * CONTACT_NAME_MAX + 1],
            search_blob(first, last, email, tel, mobile, job), created, created,
        ))
        if index is not None:
            state.contacts_of[index].append((contact_id, first))


def add_products(gen, state: TenantState) -> None:
    created = gen.past(3000)
    for number, label in enumerate(PRODUCTS, start=1):
        product_id = gen.ids.next("products")
        price = Decimal(gen.rng.randint(2000, 250000)) / 100
        gen.sink.add("products", (product_id, state.id, f"P{number:04d}", label, price, True,
                                  created, created))
        state.products.append(product_id)


def add_documents(gen, state: TenantState, count: int) -> None:
    rng, kinds, members = gen.rng, state.lists.document_kinds, state.lists.member_ids
    for number in range(1, count + 1):
        document_id = gen.ids.next("documents")
        index = rng.randrange(len(state.tiers))
        kind_id, code = rng.choice(kinds)
        day = gen.past(2200)
        reference = f"{DOCUMENT_PREFIX.get(code, 'DO')}-{day.year}-{number:06d}"
        gen.sink.add("documents", (
            document_id, state.id, kind_id, reference, state.tiers[index], day.date(),
            Decimal(rng.randint(5000, 5_000_000)) / 100, rng.choice(DOCUMENT_STATUSES),
            f"{rng.choice(PRODUCTS)} — {rng.randint(1, 40)} unités", rng.choice(members),
            day, day,
        ))
        state.documents_of.setdefault(index, []).append((document_id, reference))


def add_projects(gen, state: TenantState, count: int) -> None:
    rng, members = gen.rng, state.lists.member_ids
    for number in range(1, count + 1):
        project_id = gen.ids.next("projects")
        index = rng.randrange(len(state.tiers))
        created = gen.past(2000)
        gen.sink.add("projects", (
            project_id, state.id, f"PRJ-{number:05d}",
            f"{rng.choice(PRODUCTS)} {rng.choice(COMPANY_TRADES)}", state.tiers[index],
            "open" if rng.random() < 0.7 else "closed", None, rng.choice(members),
            created, created + timedelta(days=rng.randint(0, 30)),
        ))
        state.projects_of.setdefault(index, []).append(project_id)
